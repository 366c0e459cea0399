using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Creates the next migration file and its undo companion in the folder's layout; never overwrites.</summary>
[Cmdlet(VerbsCommon.New, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationFile))]
public sealed class NewMigrationCommand : SchemaOpsCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Description { get; set; } = "";

    /// <summary>The migration folder to create the files in; default db/migration (dbmate's db/migrations when only that exists).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter NoUndo { get; set; }

    /// <summary>The folder's layout; Auto: from its files (Flyway when it has none).</summary>
    [Parameter]
    public MigrationLayout Layout { get; set; } = MigrationLayout.Auto;

    protected override void ProcessInput()
    {
        var location = ResolvePath(Path ?? MigrationSettings.DefaultLocationIn(SessionState.Path.CurrentFileSystemLocation.ProviderPath));
        Run((sink, _) =>
        {
            NewMigrationOperation.Create(location, Description, withUndo: !NoUndo.IsPresent, sink, Layout);
            return Task.CompletedTask;
        });
    }
}
