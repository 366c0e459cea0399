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
        s.AppendLine($"# {r.Title}").AppendLine();
        s.AppendLine($"- **Result:** {(r.Succeeded ? "succeeded" : "FAILED")}");
        s.AppendLine($"- **When:** {r.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", Inv)} UTC");
        s.AppendLine($"- **Who:** {Cell(r.Operator)} on {Cell(r.Machine)}");
        if (r.Databases.Count > 0) s.AppendLine($"- **Databases:** {string.Join(", ", r.Databases.Select(Cell))}");
        if (r.Backups.Count > 0)
        {
            s.AppendLine().AppendLine("## Backup").AppendLine().AppendLine("| Path | Size (MB) | SHA-256 | Migration version | Time (s) |").AppendLine("|---|---:|---|---|---:|");
            foreach (var b in r.Backups) s.AppendLine($"| {Cell(b.Path)} | {b.SizeBytes / 1048576.0:0.0} | `{b.Sha256}` | {Cell(b.MigrationVersion ?? "")} | {b.DurationMilliseconds / 1000.0:0.0} |");
        }
        if (r.Migrations.Count > 0)
        {
            s.AppendLine().AppendLine("## Migrations").AppendLine().AppendLine("| Version | Description | Outcome | Time (ms) | In transaction | Database |").AppendLine("|---|---|---|---:|---|---|");
            foreach (var m in r.Migrations)
                s.AppendLine($"| {Cell(Label(m))} | {Cell(m.Description)} | {m.Outcome}{(m.Error is null ? "" : ": " + Cell(m.Error))} | {m.ExecutionTime} | {(m.InTransaction ? "yes" : "no")} | {Cell(m.Database)} |");
            s.AppendLine().AppendLine($"Total: {r.Migrations.Count} migration(s), {r.Migrations.Sum(m => (long)m.ExecutionTime)} ms.");
        }
        if (r.HealthChecks.Count > 0)
        {
            s.AppendLine().AppendLine("## Health").AppendLine().AppendLine("| Check | Passed | Detail | Database |").AppendLine("|---|---|---|---|");
            foreach (var h in r.HealthChecks) s.AppendLine($"| {Cell(h.Name)} | {(h.Passed ? "yes" : "**NO**")} | {Cell(h.Detail)} | {Cell(h.Database)} |");
        }
        if (r.Validation.Count > 0)
        {
            var failed = r.Validation.Where(v => !v.Passed).ToList();
            s.AppendLine().AppendLine("## Validation").AppendLine().AppendLine($"{r.Validation.Count - failed.Count} of {r.Validation.Count} passed.");
            foreach (var v in failed) s.AppendLine($"- **{Cell(v.Name)}**: {v.Kind}: {Cell(v.Detail)}");
        }
        if (r.Differences.Count > 0)
        {
            s.AppendLine().AppendLine("## Schema changes").AppendLine().AppendLine("| Change | Kind | Object | Before | After |").AppendLine("|---|---|---|---|---|");
            foreach (var d in r.Differences) s.AppendLine($"| {d.Change} | {d.Kind} | {Cell(Name(d))} | {Cell(Short(d.Reference))} | {Cell(Short(d.Difference))} |");
        }
        return s.ToString();
    }

    public static string JUnit(DeploymentReport r)
    {
        static XElement Case(string suite, string name, double seconds, string? failure, string? output = null) =>
            new("testcase", new XAttribute("classname", suite), new XAttribute("name", name), new XAttribute("time", seconds.ToString("0.000", Inv)),
                failure is null ? null : new XElement("failure", new XAttribute("message", failure.Split('\n')[0]), failure),
                output is null ? null : new XElement("system-out", output));
        static XElement Suite(string name, List<XElement> cases) =>
            new("testsuite", new XAttribute("name", name), new XAttribute("tests", cases.Count),
                new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
                new XAttribute("time", cases.Sum(c => double.Parse(c.Attribute("time")!.Value, Inv)).ToString("0.000", Inv)), cases);

        var suites = new List<XElement>
        {
            Suite("migrations", r.Migrations.Select(m => Case($"migrations.{m.Database}", $"{Label(m)} {m.Description}", m.ExecutionTime / 1000.0,
                m.Outcome == MigrationOutcome.Failed ? m.Error ?? "failed" : null)).ToList()),
            Suite("health", r.HealthChecks.Select(h => Case($"health.{h.Database}", h.Name, 0, h.Passed ? null : h.Detail, h.Detail)).ToList()),
            Suite("validation", r.Validation.Select(v => Case("validation", v.Name, 0, v.Passed ? null : $"{v.Kind}: {v.Detail}")).ToList()),
            // Schema changes are what a migration is for: listed, not failed.
            Suite("schema", r.Differences.Count == 0 ? [] : [Case("schema", "schema changes", 0, null, string.Join("\n", r.Differences.Select(d => $"{d.Change} {d.Kind} {Name(d)}")))]),
        };
        var root = new XElement("testsuites", new XAttribute("name", r.Title),
            new XAttribute("tests", suites.Sum(x => (int)x.Attribute("tests")!)), new XAttribute("failures", suites.Sum(x => (int)x.Attribute("failures")!)), suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root;
    }

    public static string Html(DeploymentReport r)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var s = new StringBuilder();
        s.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(r.Title)).Append("</title><style>")
         .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
         .Append("th{background:#f4f4f4}.bad{color:#b00;font-weight:bold}.ok{color:#070}pre{margin:0;white-space:pre-wrap;max-width:40em}svg text{font-size:12px}")
         .Append("</style></head><body>\n");
        s.Append($"<h1>{E(r.Title)}</h1>\n<p class=\"{(r.Succeeded ? "ok" : "bad")}\">{(r.Succeeded ? "Succeeded" : "FAILED")}</p>\n");
        s.Append($"<p>{r.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", Inv)} UTC, by {E(r.Operator)} on {E(r.Machine)}. Databases: {E(string.Join(", ", r.Databases))}</p>\n");
        if (r.Migrations.Count > 0)
        {
            s.Append("<h2>Timeline</h2>\n").Append(Timeline(r.Migrations));
            s.Append("<h2>Migrations</h2><table><tr><th>Version</th><th>Description</th><th>Outcome</th><th>Time (ms)</th><th>Database</th></tr>\n");
            foreach (var m in r.Migrations)
                s.Append($"<tr><td>{E(Label(m))}</td><td>{E(m.Description)}</td><td class=\"{(m.Outcome == MigrationOutcome.Failed ? "bad" : "ok")}\">{m.Outcome}{(m.Error is null ? "" : $"<pre>{E(m.Error)}</pre>")}</td><td>{m.ExecutionTime}</td><td>{E(m.Database)}</td></tr>\n");
            s.Append("</table>\n");
        }
        if (r.Backups.Count > 0)
        {
            s.Append("<h2>Backup</h2><table><tr><th>Path</th><th>Size (MB)</th><th>SHA-256</th><th>Migration version</th></tr>\n");
            foreach (var b in r.Backups) s.Append($"<tr><td>{E(b.Path)}</td><td>{b.SizeBytes / 1048576.0:0.0}</td><td><code>{E(b.Sha256)}</code></td><td>{E(b.MigrationVersion)}</td></tr>\n");
            s.Append("</table>\n");
        }
        if (r.HealthChecks.Count > 0)
        {
            s.Append("<h2>Health</h2><table><tr><th>Check</th><th>Passed</th><th>Detail</th></tr>\n");
            foreach (var h in r.HealthChecks) s.Append($"<tr><td>{E(h.Name)}</td><td class=\"{(h.Passed ? "ok" : "bad")}\">{(h.Passed ? "yes" : "no")}</td><td>{E(h.Detail)}</td></tr>\n");
            s.Append("</table>\n");
        }
        if (r.Validation.Any(v => !v.Passed))
        {
            s.Append("<h2>Validation problems</h2><ul>\n");
            foreach (var v in r.Validation.Where(v => !v.Passed)) s.Append($"<li><b>{E(v.Name)}</b>: {v.Kind}: {E(v.Detail)}</li>\n");
            s.Append("</ul>\n");
        }
        if (r.Differences.Count > 0)
        {
            s.Append("<h2>Schema changes</h2><table><tr><th>Change</th><th>Kind</th><th>Object</th><th>Before</th><th>After</th></tr>\n");
            foreach (var d in r.Differences) s.Append($"<tr><td>{d.Change}</td><td>{d.Kind}</td><td>{E(Name(d))}</td><td><pre>{E(d.Reference)}</pre></td><td><pre>{E(d.Difference)}</pre></td></tr>\n");
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

    private static string Label(MigrationResult m) => m.Version is null ? "R" : (m.Kind == MigrationKind.Undo ? "U" : "V") + m.Version;
    private static string Name(SchemaDifference d) => d.Schema.Length > 0 ? $"{d.Schema}.{d.Name}" : d.Name;
    private static string Short(string? text, int max = 80)
    {
        var line = (text ?? "").ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
    // A Markdown table cell: one line, pipes escaped.
    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|");
}
