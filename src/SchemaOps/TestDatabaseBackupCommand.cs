using System.Management.Automation;
using SchemaOps.Engine.Backups;

namespace SchemaOps.Commands;

/// <summary>Restores a backup into a throwaway database, compares it with the snapshot taken with the backup, drops it.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DatabaseBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(BackupTestResult))]
public sealed class TestDatabaseBackupCommand : DatabaseCmdlet
{
    /// <summary>The backup file or folder; from Backup-Database's output by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The snapshot taken with the backup; default: the one saved beside it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SchemaSnapshot? Snapshot { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    protected override void ProcessRecord()
    {
        var request = RequestBuilder.Build(this);
        var path = ResolvePath(Path);
        if (!ShouldProcess(request.Target.Display, $"Restore {path} into a throwaway database, compare, drop it")) return;
        var snapshot = Snapshot;
        var bin = PgBinPath is null ? null : ResolvePath(PgBinPath);
        Run((sink, ct) => BackupTestOperation.TestAsync(request, path, snapshot, bin, sink, ct));
    }
}
