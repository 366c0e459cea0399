using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Every migration with its Flyway state (flyway info).</summary>
[Cmdlet(VerbsCommon.Get, "MigrationStatus", HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationInfo))]
public sealed class GetMigrationStatusCommand : MigrationCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationVersionCompleter))]
    public string? Target { get; set; }

    [Parameter]
    public SwitchParameter OutOfOrder { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this, v => v with { Target = Target, OutOfOrder = MyInvocation.BoundParameters.ContainsKey(nameof(OutOfOrder)) ? OutOfOrder.IsPresent : null });
        Run((sink, ct) => InfoOperation.InfoAsync(request, sink, ct));
    }
}
