using System.Management.Automation;
using SchemaOps.Engine.Backups;

namespace SchemaOps.Commands;

/// <summary>Backs the database up with the real pg_dump, checks the archive and returns a DatabaseBackup (path, size, SHA-256, snapshot).</summary>
[Cmdlet(VerbsData.Backup, "Database", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Module)]
[OutputType(typeof(DatabaseBackup))]
public sealed class BackupDatabaseCommand : DatabaseCmdlet
{
    /// <summary>The archive to create (never overwritten).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public BackupFormat Format { get; set; } = BackupFormat.Custom;

    /// <summary>Parallel pg_dump jobs (directory format).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int Jobs { get; set; } = 1;

    [Parameter]
    public RowCountMode RowCount { get; set; } = RowCountMode.Exact;

    /// <summary>The folder holding pg_dump and pg_restore; default: found like the server binaries.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    /// <summary>How long a table's lock may be waited for before the backup fails, nothing kept; default 1 minute, 0 waits for ever.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockWaitTimeout { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this);
        var options = new BackupOptions(ResolvePath(Path)) { Format = Format, Jobs = Jobs, RowCounts = RowCount, PgBinDirectory = PgBinPath is null ? null : ResolvePath(PgBinPath) };
        if (LockWaitTimeout is { } wait) options = options with { LockWaitTimeout = wait };
        Run((sink, ct) => BackupOperation.BackupAsync(request, options, sink, ct));
    }
}
