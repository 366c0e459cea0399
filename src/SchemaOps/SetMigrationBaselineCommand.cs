using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Marks an existing database as being at a version (flyway baseline).</summary>
[Cmdlet(VerbsCommon.Set, "MigrationBaseline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Module)]
[OutputType(typeof(BaselineResult))]
public sealed class SetMigrationBaselineCommand : DatabaseCmdlet
{
    /// <summary>Default: the config's baselineVersion, else 1.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Description { get; set; } = "<< Flyway Baseline >>";

    [Parameter]
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord()
    {
        var request = RequestBuilder.Build(this, v => v with { BaselineVersion = Version }, s => s with { BaselineDescription = Description, LockWaitTimeout = LockWaitTimeout });
        Run((sink, ct) => BaselineOperation.BaselineAsync(request, sink, ct));
    }
}
