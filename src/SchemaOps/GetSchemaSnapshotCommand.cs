using System.Management.Automation;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Commands;

/// <summary>
/// Records a database's schema (every object with its definition), row counts and the migrations in
/// effect, read-only; -OutFile saves it as JSON for Compare-SchemaSnapshot later.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SchemaSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(SchemaSnapshot))]
public sealed class GetSchemaSnapshotCommand : DatabaseCmdlet
{
    /// <summary>Exact (count(*) on every table), Estimated (the planner's reltuples: instant on big tables) or None.</summary>
    [Parameter]
    public RowCountMode RowCount { get; set; } = RowCountMode.Exact;

    /// <summary>Also save the snapshot to this JSON file (written whole or not at all).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this);
        var outFile = OutFile is null ? null : ResolvePath(OutFile);
        // Asked here, on the pipeline thread: the snapshot itself changes nothing, only the file does.
        var save = outFile is not null && ShouldProcess(outFile, "Save the schema snapshot");
        Run(async (sink, ct) =>
        {
            var snapshot = await SnapshotOperation.TakeAsync(request, RowCount, sink, ct);
            if (save) SnapshotFile.Save(snapshot, outFile!);
        });
    }
}
