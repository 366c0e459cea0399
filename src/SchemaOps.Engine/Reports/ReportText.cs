using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;

namespace SchemaOps.Engine.Reports;

/// <summary>The report's three text forms besides JSON. Every value from the database or the user is escaped for its format.</summary>
internal static class ReportText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(DeploymentReport r)
    {
        var s = new StringBuilder();
        s.AppendLine($"# {Line(r.Title)}").AppendLine();
        s.AppendLine($"- **Result:** {(r.Succeeded ? "succeeded" : "FAILED")}");
        s.AppendLine($"- **When:** {r.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", Inv)} UTC");
        s.AppendLine($"- **Who:** {MdCell(r.Operator)} on {MdCell(r.Machine)}");
        if (r.Databases.Count > 0) s.AppendLine($"- **Databases:** {string.Join(", ", r.Databases.Select(MdCell))}");
        foreach (var section in ReportSections.Of(r))
        {
            s.AppendLine().AppendLine($"## {Line(section.Title)}").AppendLine();
            if (section.Summary is not null) s.AppendLine(section.Summary);
            if (section.Rows.Count == 0) continue;
            if (section.Summary is not null) s.AppendLine();
            s.AppendLine($"| {string.Join(" | ", section.Columns)} |").AppendLine($"|{string.Concat(section.Columns.Select(_ => "---|"))}");
            foreach (var row in section.Rows) s.AppendLine($"| {string.Join(" | ", row.Select(Md))} |");
        }
        return s.ToString();
    }

    public static string JUnit(DeploymentReport r)
    {
        var suites = new List<XElement>
        {
            Suite("migrations", r.Migrations.Select(m => Case($"migrations.{m.Database}", $"{Label(m)} {m.Description}", m.ExecutionTime / 1000.0,
                m.Outcome == MigrationOutcome.Failed ? m.Error ?? "failed" : null)).ToList()),
            Suite("fleet", r.Fleet.Select(f => Case("fleet", f.Database, f.ElapsedMilliseconds / 1000.0, f.Succeeded ? null : $"{f.ErrorId}: {f.Error}")).ToList()),
            Suite("health", r.HealthChecks.Select(h => Case($"health.{h.Database}", h.Name, 0, h.Passed ? null : h.Detail, h.Detail)).ToList()),
            Suite("validation", r.Validation.Select(v => Case("validation", v.Name, 0, v.Passed ? null : $"{v.Kind}: {v.Detail}")).ToList()),
            Suite("backups", r.BackupTests.Select(t => Case("backups", t.Backup, t.RestoreMilliseconds / 1000.0,
                t.Passed ? null : $"{t.DifferenceCount} difference(s): " + string.Join("\n", t.Differences.Select(d => $"{d.Change} {d.Kind} {d.QualifiedName}")))).ToList()),
            Suite("rehearsals", r.Rehearsals.SelectMany(x => x.Checks.Where(c => !c.Skipped).Select(c => Case($"rehearsals.{x.Target}", c.Name, c.Seconds,
                c.Passed ? null : c.Detail + string.Concat(c.Problems.Select(p => "\n" + p))))).ToList()),
            // Lint errors fail the run; warnings and notes are the linter's advice, listed in the other forms.
            LintSuite(r.LintFindings.Where(f => f.Severity == LintSeverity.Error), LintSeverity.Error),
            // Schema changes are what a migration is for: listed, not failed.
            Suite("schema", r.Differences.Count == 0 ? [] : [Case("schema", "schema changes", 0, null, string.Join("\n", r.Differences.Select(d => $"{d.Change} {d.Kind} {d.QualifiedName}")))]),
        };
        return Document(r.Title, suites);
    }

    /// <summary>Lint findings alone as JUnit (`schemaops lint --format junit`): one case per finding, failing at <paramref name="failingAt"/> and above.</summary>
    public static string LintJUnit(string title, IReadOnlyList<LintFinding> findings, LintSeverity failingAt) => Document(title, [LintSuite(findings, failingAt)]);

    private static XElement LintSuite(IEnumerable<LintFinding> findings, LintSeverity failingAt) =>
        Suite("lint", findings.Select(f => Case(f.File, $"{f.File}:{f.Line} {f.RuleId}", 0,
            f.Severity >= failingAt ? $"{f.Severity.ToString().ToLowerInvariant()}: {f.Message}" : null,
            f.Severity >= failingAt ? null : $"{f.Severity.ToString().ToLowerInvariant()}: {f.Message}")).ToList());

    private static XElement Case(string suite, string name, double seconds, string? failure, string? output = null) =>
        new("testcase", new XAttribute("classname", suite), new XAttribute("name", name), new XAttribute("time", seconds.ToString("0.000", Inv)),
            failure is null ? null : new XElement("failure", new XAttribute("message", failure.Split('\n')[0]), failure),
            output is null ? null : new XElement("system-out", output));

    private static XElement Suite(string name, List<XElement> cases) =>
        new("testsuite", new XAttribute("name", name), new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("time", cases.Sum(c => double.Parse(c.Attribute("time")!.Value, Inv)).ToString("0.000", Inv)), cases);

    private static string Document(string title, List<XElement> suites)
    {
        var root = new XElement("testsuites", new XAttribute("name", title),
            new XAttribute("tests", suites.Sum(x => (int)x.Attribute("tests")!)), new XAttribute("failures", suites.Sum(x => (int)x.Attribute("failures")!)), suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root;
    }

    public static string Html(DeploymentReport r)
    {
        var s = new StringBuilder();
        s.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(r.Title)).Append("</title><style>")
         .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
         .Append("th{background:#f4f4f4}.bad{color:#b00;font-weight:bold}.ok{color:#070}pre{margin:0;white-space:pre-wrap;max-width:40em}svg text{font-size:12px}")
         .Append("</style></head><body>\n");
        s.Append($"<h1>{E(r.Title)}</h1>\n<p class=\"{(r.Succeeded ? "ok" : "bad")}\">{(r.Succeeded ? "Succeeded" : "FAILED")}</p>\n");
        s.Append($"<p>{r.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", Inv)} UTC, by {E(r.Operator)} on {E(r.Machine)}. Databases: {E(string.Join(", ", r.Databases))}</p>\n");
        if (r.Migrations.Count > 0) s.Append("<h2>Timeline</h2>\n").Append(Timeline(r.Migrations));
        foreach (var section in ReportSections.Of(r))
        {
            s.Append($"<h2>{E(section.Title)}</h2>\n");
            if (section.Summary is not null) s.Append($"<p>{E(section.Summary)}</p>\n");
            if (section.Rows.Count == 0) continue;
            s.Append("<table><tr>").Append(string.Concat(section.Columns.Select(c => $"<th>{E(c)}</th>"))).Append("</tr>\n");
            foreach (var row in section.Rows) s.Append("<tr>").Append(string.Concat(row.Select(HtmlCell))).Append("</tr>\n");
            s.Append("</table>\n");
        }
        return s.Append("</body></html>\n").ToString();
    }

    /// <summary>An inline SVG: one bar per migration, placed where it ran in the sequence, as long as it took.</summary>
    private static string Timeline(List<MigrationResult> migrations)
    {
        const int LabelWidth = 260, BarArea = 600, Row = 18;
        var total = Math.Max(1, migrations.Sum(m => (long)m.ExecutionTime));
        var s = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{LabelWidth + BarArea + 80}\" height=\"{migrations.Count * Row + 10}\" role=\"img\" aria-label=\"migration durations\">\n");
        long start = 0;
        for (var i = 0; i < migrations.Count; i++)
        {
            var m = migrations[i];
            var x = LabelWidth + BarArea * start / (double)total;
            var w = Math.Max(1, BarArea * m.ExecutionTime / (double)total);
            var y = i * Row + 4;
            var label = WebUtility.HtmlEncode(Short($"{Label(m)} {m.Description}", 40));
            s.Append(Inv, $"<text x=\"0\" y=\"{y + 12}\">{label}</text><rect x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{Row - 4}\" fill=\"{(m.Outcome == MigrationOutcome.Failed ? "#c33" : "#4a7")}\"><title>{label}: {m.ExecutionTime} ms</title></rect>");
            s.Append(Inv, $"<text x=\"{x + w + 4:0.#}\" y=\"{y + 12}\">{m.ExecutionTime} ms</text>\n");
            start += m.ExecutionTime;
        }
        return s.Append("</svg>\n").ToString();
    }

    private static string Label(MigrationResult m) => ReportSections.Label(m);

    private static string Short(string? text, int max = 80)
    {
        var line = (text ?? "").ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string HtmlCell(Cell c) => c.Style switch
    {
        CellStyle.Code => $"<td><code>{E(c.Text)}</code></td>",
        CellStyle.Good => $"<td class=\"ok\">{E(c.Text)}</td>",
        CellStyle.Bad => $"<td class=\"bad\">{E(c.Text)}</td>",
        CellStyle.Pre => $"<td><pre>{E(c.Text)}</pre></td>",
        _ => $"<td>{E(c.Text)}</td>",
    };

    private static string Md(Cell c) => c.Style switch
    {
        CellStyle.Code => $"`{c.Text.Replace("`", "'")}`",
        CellStyle.Bad => c.Text.Length == 0 ? "" : $"**{MdCell(c.Text)}**",
        CellStyle.Pre => MdCell(Short(c.Text, 120)),
        _ => MdCell(c.Text),
    };

    // A Markdown table cell: one line, pipes escaped.
    private static string MdCell(string text) => Line(text).Replace("|", "\\|");

    // One line: a name or title holding a line break must not start lines of its own in the report.
    private static string Line(string text) => text.ReplaceLineEndings(" ");
}
