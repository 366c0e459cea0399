using System.Management.Automation;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Commands;

/// <summary>
/// Starts a throwaway PostgreSQL (a copy of a cached template, loopback only, fsync off) and returns an
/// EphemeralDatabase whose ConnectionString pipes into the other cmdlets. It lives until
/// Remove-EphemeralDatabase or the end of the PowerShell session.
/// </summary>
[Cmdlet(VerbsCommon.New, "EphemeralDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(EphemeralDatabase))]
public sealed class NewEphemeralDatabaseCommand : SchemaOpsCmdlet
{
    /// <summary>An empty database to create in it; default: the server's own "postgres" database.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Database { get; set; } = EphemeralDatabaseOperation.DefaultDatabase;

    /// <summary>PostgreSQL's bin folder (initdb, postgres); default: found on PATH, via pg_config or in the usual places.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    protected override void ProcessInput()
    {
        var bin = PgBinPath is null ? null : ResolvePath(PgBinPath);
        var database = Database;
        var owner = SessionServers.Owner();
        Run((sink, ct) => EphemeralDatabaseOperation.StartAsync(database, bin, owner, sink, ct));
    }
}
