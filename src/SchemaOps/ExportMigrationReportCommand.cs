using System.Management.Automation;
using SchemaOps.Engine.Reports;

namespace SchemaOps.Commands;

/// <summary>Writes the deployment log of a run (the objects piped in) as Markdown, JSON, JUnit XML or HTML.</summary>
[Cmdlet(VerbsData.Export, "MigrationReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(ReportFile))]
public sealed class ExportMigrationReportCommand : SchemaOpsCmdlet
{
    /// <summary>The objects of the run, from the pipeline: anything a SchemaOps cmdlet emits.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Default: from the file name (.md, .json, .xml, .html).</summary>
    [Parameter]
    public ReportFormat? Format { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    private readonly List<object> _items = [];

    protected override void ProcessInput()
    {
        // -InputObject $results passes the whole array at once; the pipeline passes one object at a time.
        var items = InputObject?.BaseObject is System.Collections.IEnumerable many and not string ? many.Cast<object?>() : [InputObject?.BaseObject];
        foreach (var item in items.Select(i => i is PSObject ps ? ps.BaseObject : i).OfType<object>())
        {
            if (ReportOperation.Accepts(item)) _items.Add(item);
            else WriteError(Record(new ArgumentException($"a report takes the objects SchemaOps cmdlets emit, not {item.GetType().FullName}"),
                ErrorCatalog.UnsupportedReportInput, item)); // the rest of the run is still reported
        }
    }

    protected override void EndProcessing()
    {
        var path = ResolvePath(Path);
        if (!ShouldProcess(path, $"Write the deployment report of {_items.Count} object(s)")) return;
        var items = _items;
        var format = Format;
        var title = Title;
        Run((sink, _) =>
        {
            var report = ReportOperation.Build(items, title);
            sink.WriteObject(ReportOperation.Write(report, path, format ?? ReportOperation.FormatOf(path)));
            return Task.CompletedTask;
        });
    }
}
