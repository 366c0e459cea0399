using System.Management.Automation;
using SchemaOps.Engine.Backups;

namespace SchemaOps.Commands;

/// <summary>Restores a backup into a throwaway database, compares it with the snapshot taken with the backup, drops it.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DatabaseBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(BackupTestResult))]
public sealed class TestDatabaseBackupCommand : DatabaseCmdlet
{
    /// <summary>
    /// The backup file or folder, taken as written (one archive; no wildcards). Binds by property name from
    /// Backup-Database's output (Path) and from Get-Item / Get-ChildItem (PSPath).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The snapshot taken with the backup; default: the one saved beside it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SchemaSnapshot? Snapshot { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    /// <summary>Restore on a throwaway PostgreSQL started for the test instead of the server of -ConnectionString.</summary>
    [Parameter]
    public SwitchParameter Ephemeral { get; set; }

    protected override void ProcessInput()
    {
        var path = ResolvePath(Path);
        var snapshot = Snapshot;
        var bin = PgBinPath is null ? null : ResolvePath(PgBinPath);
        if (Ephemeral.IsPresent)
        {
            if (!ShouldProcess("a throwaway PostgreSQL", $"Restore {path}, compare, remove it")) return;
            var (settings, _) = RequestBuilder.ForThrowaway(this); // config and parameters as everywhere; the server is the throwaway one
            Run((sink, ct) => BackupTestOperation.TestOnEphemeralAsync(settings, path, snapshot, bin, sink, ct));
            return;
        }
        var request = RequestBuilder.Build(this);
        if (!ShouldProcess(request.Target.Display, $"Restore {path} into a throwaway database, compare, drop it")) return;
        Run((sink, ct) => BackupTestOperation.TestAsync(request, path, snapshot, bin, sink, ct));
    }
}
