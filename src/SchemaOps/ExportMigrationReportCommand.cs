using System.Management.Automation;
using SchemaOps.Engine.Reports;

namespace SchemaOps.Commands;

/// <summary>Writes the deployment log of a run (the objects piped in) as Markdown, JSON, JUnit XML or HTML.</summary>
[Cmdlet(VerbsData.Export, "MigrationReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(ReportFile))]
public sealed class ExportMigrationReportCommand : SchemaOpsCmdlet
{
    /// <summary>MigrationResult, DatabaseBackup, SchemaDifference, HealthCheck and ValidationResult objects, from the pipeline.</summary>
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

    protected override void ProcessRecord()
    {
        // -InputObject $results passes the whole array at once; the pipeline passes one object at a time.
        if (InputObject?.BaseObject is System.Collections.IEnumerable many and not string)
            foreach (var item in many) _items.Add(item is PSObject ps ? ps.BaseObject : item);
        else if (InputObject?.BaseObject is { } one) _items.Add(one);
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
