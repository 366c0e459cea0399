using System.Management.Automation;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Commands;

/// <summary>
/// Whether the live database is still what its applied migrations built: they are replayed on a throwaway PostgreSQL
/// up to the database's applied version and both are compared. One SchemaDifference per object that drifted (none: no
/// drift). Reads the database, changes nothing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SchemaDrift", HelpUri = HelpLinks.Module)]
[OutputType(typeof(SchemaDifference))]
public sealed class TestSchemaDriftCommand : MigrationCmdlet
{
    /// <summary>Objects a team manages by hand: wildcards on schema.name or Kind:schema.name; default: the config's driftIgnore.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IgnoreObject { get; set; }

    /// <summary>PostgreSQL's binaries for the throwaway server (best: the live server's major version).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this);
        var options = new DriftOptions(IgnoreObject, PgBinPath is null ? null : ResolvePath(PgBinPath));
        Run((sink, ct) => DriftOperation.CheckAsync(request, options, sink, ct));
    }
}
