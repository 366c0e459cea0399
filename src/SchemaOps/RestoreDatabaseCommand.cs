using System.Management.Automation;
using SchemaOps.Engine.Backups;

namespace SchemaOps.Commands;

/// <summary>Restores a backup into a database with pg_restore, in one transaction. Destructive: ConfirmImpact High; production needs -Force or a yes.</summary>
[Cmdlet(VerbsData.Restore, "Database", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Module)]
[OutputType(typeof(RestoreResult))]
public sealed class RestoreDatabaseCommand : DatabaseCmdlet
{
    /// <summary>
    /// The backup file or folder, taken as written (one archive; no wildcards). Binds by property name from
    /// Backup-Database's output (Path) and from Get-Item / Get-ChildItem (PSPath).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Create the target database first.</summary>
    [Parameter]
    public SwitchParameter CreateDatabase { get; set; }

    /// <summary>Replace the database's contents with the backup's (the target is not empty): objects created since go too.</summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    /// <summary>Restore into a production environment's database without the prompt that -Confirm:$false does not skip.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this, more: s => RequestBuilder.ConfirmProduction(this, Force.IsPresent, s, "Restore over the database"));
        var path = ResolvePath(Path);
        var options = new RestoreOptions { CreateDatabase = CreateDatabase.IsPresent, Clean = Clean.IsPresent, PgBinDirectory = PgBinPath is null ? null : ResolvePath(PgBinPath) };
        Run((sink, ct) => RestoreOperation.RestoreAsync(request, path, options, sink, ct));
    }
}
