using System.Globalization;

namespace SchemaOps.Engine.Reports;

/// <summary>How a report cell is shown: code (hashes), good or bad (outcomes), or preformatted (errors, definitions).</summary>
internal enum CellStyle
{
    Plain,
    Code,
    Good,
    Bad,
    Pre,
}

internal sealed record Cell(string Text, CellStyle Style = CellStyle.Plain)
{
    public static implicit operator Cell(string text) => new(text);
    public static Cell Outcome(bool good, string text) => new(text, good ? CellStyle.Good : CellStyle.Bad);
}

/// <summary>One table of a report: a heading, a line of summary, the columns and a row per object.</summary>
internal sealed record ReportSection(string Title, string[] Columns, List<Cell[]> Rows, string? Summary = null);

/// <summary>
/// What a report shows, decided once for the Markdown and HTML forms: one section per kind of object present,
/// in the order of a maintenance window (before, during, after), each with its columns.
/// </summary>
internal static class ReportSections
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<ReportSection> Of(DeploymentReport r)
    {
        var sections = new List<ReportSection>();
        void Add<T>(List<T> items, string title, string[] columns, Func<T, Cell[]> row, string? summary = null)
        {
            if (items.Count > 0) sections.Add(new ReportSection(title, columns, items.Select(row).ToList(), summary));
        }

        Add(r.HealthChecks, "Health", ["Check", "Passed", "Detail", "Database"], h => [h.Name, YesNo(h.Passed), h.Detail, h.Database]);
        Add(r.Backups, "Backup", ["Path", "Size (MB)", "SHA-256", "Migration version", "Time (s)"],
            b => [b.Path, Number(b.SizeBytes / 1048576.0, "0.0"), new(b.Sha256, CellStyle.Code), b.MigrationVersion?.Text ?? "", Number(b.DurationMilliseconds / 1000.0, "0.0")]);
        Add(r.BackupTests, "Backup test restores", ["Backup", "Passed", "Differences", "Tables", "Rows", "Restore (s)"],
            t => [t.Backup, YesNo(t.Passed), Count(t.DifferenceCount), Count(t.TablesChecked), Count(t.RowsChecked), Number(t.RestoreMilliseconds / 1000.0, "0.0")]);
        Add(r.Restores, "Restores", ["Backup", "Database", "Created", "Replaced", "Time (s)"],
            x => [x.Backup, x.Database, x.Created ? "yes" : "no", x.Replaced ? "yes" : "no", Number(x.DurationMilliseconds / 1000.0, "0.0")]);
        Add(r.Status, "Migration status", ["Version", "Description", "State", "Installed on", "Script"],
            i => [i.Version?.Text ?? "R", i.Description, Cell.Outcome(!i.State.ToString().StartsWith("Failed", StringComparison.Ordinal), i.State.ToString()),
                  i.InstalledOn?.ToString("yyyy-MM-dd HH:mm:ss", Inv) ?? "", i.Script]);
        var failedValidation = r.Validation.Where(v => !v.Passed).ToList();
        if (r.Validation.Count > 0)
            sections.Add(new ReportSection("Validation", ["Check", "Problem", "Detail"],
                failedValidation.Select(v => new Cell[] { v.Name, Cell.Outcome(false, v.Kind.ToString()), v.Detail }).ToList(),
                $"{r.Validation.Count - failedValidation.Count} of {r.Validation.Count} passed."));
        Add(r.LintFindings, "Lint", ["File", "Line", "Rule", "Severity", "Message"],
            f => [f.File, Count(f.Line), f.RuleId, Cell.Outcome(f.Severity != LintSeverity.Error, f.Severity.ToString()), f.Message]);
        Add(r.Rehearsals, "Rehearsals", ["Target", "Verdict", "Checks passed", "Migrations", "Time (s)"],
            x => [x.Target, Cell.Outcome(x.Passed, x.Verdict), $"{x.Checks.Count(c => c.Passed && !c.Skipped)}/{x.Checks.Count}", Count(x.Migrations.Count), Number(x.Seconds, "0.0")]);
        foreach (var rehearsal in r.Rehearsals.Where(x => x.Checks.Any(c => !c.Passed && !c.Skipped)))
            sections.Add(new ReportSection($"Rehearsal checks that failed ({rehearsal.Target})", ["Check", "Detail", "Problems"],
                rehearsal.Checks.Where(c => !c.Passed && !c.Skipped).Select(c => new Cell[] { Cell.Outcome(false, c.Name), c.Detail, new(string.Join("\n", c.Problems), CellStyle.Pre) }).ToList()));
        Add(r.Migrations, "Migrations", ["Version", "Description", "Outcome", "Time (ms)", "In transaction", "Database"],
            m => [Label(m), m.Description, Cell.Outcome(m.Outcome != MigrationOutcome.Failed, m.Outcome + (m.Error is null ? "" : ": " + m.Error)),
                  Count(m.ExecutionTime), m.InTransaction ? "yes" : "no", m.Database],
            $"Total: {r.Migrations.Count} migration(s), {r.Migrations.Sum(m => (long)m.ExecutionTime)} ms.");
        Add(r.Fleet, "Fleet", ["Database", "Succeeded", "Applied", "Versions", "Time (ms)", "Error"],
            f => [f.Database, YesNo(f.Succeeded), Count(f.Applied), string.Join(", ", f.Versions), Count(f.ElapsedMilliseconds),
                  f.Error is null ? "" : Cell.Outcome(false, $"{f.ErrorId}: {f.Error}")],
            $"{r.Fleet.Count(f => f.Succeeded)} of {r.Fleet.Count} database(s) succeeded.");
        Add(r.Repairs, "History repairs", ["Action", "Version", "Description", "Before", "After", "Database"],
            x => [x.Action.ToString(), x.Version?.Text ?? "R", x.Description, x.Before ?? "", x.After ?? "", x.Database]);
        Add(r.Locks, "Locks", ["Taken at", "Pid", "Holds or waits", "Mode", "Target", "Waited (s)", "User", "Application", "Database"],
            l => [l.TakenAt.ToString("HH:mm:ss", Inv), new string(' ', 2 * l.Depth) + l.Pid, l.Granted ? "holds" : Cell.Outcome(false, "waits"), l.Mode, l.Target,
                  l.WaitSeconds is { } w ? Number(w, "0.0") : "", l.User ?? "", l.Application ?? "", l.Database]);
        Add(r.Snapshots, "Schema snapshots", ["Database", "Taken at", "Objects", "Tables", "Migration version"],
            s => [s.Database, s.TakenAt.ToString("yyyy-MM-dd HH:mm:ss", Inv), Count(s.ObjectCount), Count(s.TableCount), s.MigrationVersion?.Text ?? ""]);
        Add(r.Differences, "Schema changes", ["Change", "Kind", "Object", "Before", "After"],
            d => [d.Change.ToString(), d.Kind.ToString(), d.QualifiedName, new(d.Reference ?? "", CellStyle.Pre), new(d.Difference ?? "", CellStyle.Pre)]);
        Add(r.Other, "Other records", ["Type", "What"], n => [n.Type, n.Text]);
        return sections;
    }

    public static string Label(MigrationResult m) => m.Version is null ? "R" : (m.Kind == MigrationKind.Undo ? "U" : "V") + m.Version;

    private static Cell YesNo(bool passed) => Cell.Outcome(passed, passed ? "yes" : "NO");
    private static string Number(double value, string format) => value.ToString(format, Inv);
    private static string Count(long value) => value.ToString(Inv);
}
