using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Drops every object in the managed schemas. Disabled unless allowed; never in production.</summary>
[Cmdlet(VerbsCommon.Clear, "Database", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Module)]
[OutputType(typeof(CleanedSchema))]
public sealed class ClearDatabaseCommand : DatabaseCmdlet
{
    /// <summary>Clean is disabled unless this (or SCHEMAOPS_CLEAN_ENABLED=true) says otherwise.</summary>
    [Parameter]
    public SwitchParameter AllowClean { get; set; }

    /// <summary>The environment of this database; "production" refuses clean whatever else is said.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Environment { get; set; }

    [Parameter]
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord()
    {
        var request = RequestBuilder.Build(this, s => (s with { CleanEnabled = AllowClean.IsPresent, Environment = Environment, LockWaitTimeout = LockWaitTimeout })
            .WithEnvironmentDefaults(System.Environment.GetEnvironmentVariable));
        Run((sink, ct) => CleanOperation.CleanAsync(request, sink, ct));
    }
}
