using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Creates the next versioned migration file and its undo companion; never overwrites.</summary>
[Cmdlet(VerbsCommon.New, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationFile))]
public sealed class NewMigrationCommand : SchemaOpsCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Description { get; set; } = "";

    /// <summary>The migration folder to create the files in.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "db/migration";

    [Parameter]
    public SwitchParameter NoUndo { get; set; }

    protected override void ProcessRecord()
    {
        var location = ResolvePath(Path);
        Run((sink, _) =>
        {
            NewMigrationOperation.Create(location, Description, withUndo: !NoUndo.IsPresent, sink);
            return Task.CompletedTask;
        });
    }
}
