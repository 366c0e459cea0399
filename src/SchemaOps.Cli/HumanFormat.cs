namespace SchemaOps.Cli;

/// <summary>One readable line per output object, columns aligned like the module's table views.</summary>
public static class HumanFormat
{
    /// <summary>The version column: wide enough for dbmate's and golang-migrate's 14-digit timestamps (a longer version still prints whole).</summary>
    internal const int VersionWidth = 14;

    public static string Line(object item) => item switch
    {
        MigrationInfo i => $"{i.Version?.Text ?? "",-VersionWidth} {Trim(i.Description, 40),-40} {i.Type,-9} {i.State,-15} {i.InstalledOn?.ToString("yyyy-MM-dd HH:mm:ss") ?? "",-19} {(i.ExecutionTime is { } t ? t + " ms" : "")}",
        MigrationResult r => r.Outcome switch
        {
            MigrationOutcome.Applied => $"{(r.Kind == MigrationKind.Undo ? "undone " : "applied")}  {Label(r.Version?.Text, r.Description),-50} {r.ExecutionTime,6} ms{(r.InTransaction ? "" : "  (no transaction)")}",
            MigrationOutcome.Planned => $"planned  {Label(r.Version?.Text, r.Description),-50}{(r.InTransaction ? "" : "  (no transaction)")}",
            MigrationOutcome.Skipped => $"skipped  {Label(r.Version?.Text, r.Description),-50}",
            _ => $"FAILED   {Label(r.Version?.Text, r.Description),-50}",
        },
        ValidationResult v => v.Passed ? $"ok       {v.Name}{(v.Detail == Engine.Planning.Validator.Valid ? "" : $": {v.Detail}")}"
            : $"PROBLEM  {v.Detail}", // the detail starts with the name: it stands alone in errors too
        BaselineResult b => b.Created ? $"baselined {b.Database} at version {b.Version} (rank {b.InstalledRank})" : $"{b.Database} already has baseline {b.Version}: nothing to do",
        ScriptChecksum c => $"{c.Checksum,12}  {c.Path}",
        RepairChange r => $"repaired {r}",
        MigrationFile f => $"created  {f.Path}",
        FleetResult t => t.Succeeded ? $"ok       {t.Database}: {t.Applied} applied in {t.ElapsedMilliseconds} ms" : $"FAILED   {t.Database}: [{t.ErrorId}] {t.Error}",
        CleanedSchema c => $"cleaned  {c}",
        SchemaSnapshot s => $"snapshot of {s.Database}: {s.TableCount} tables, {s.ObjectCount} objects, {s.RowCounts.Count} row counts, migration version {s.MigrationVersion?.Text ?? "(no history)"}",
        LockReportEntry l => $"{new string(' ', 2 * l.Depth)}{l.Pid,-7} {(l.Granted ? "holds    " : "waits for")} {l.Mode,-24} {l.Target,-30} {(l.WaitSeconds is { } w ? $"{w,6:0.0} s" : "        ")} {l.User}/{l.Application} {l.State}: {l.Query}",
        DatabaseBackup b => $"backed up {b.Database} to {b.Path}: {b.SizeBytes / 1048576.0:0.0} MB, {b.TocEntries} entries, sha256 {b.Sha256}, {b.DurationMilliseconds} ms (migration version {b.MigrationVersion?.Text ?? "none"})",
        SchemaDump s => $"{(s.Changed ? "wrote the schema of" : "unchanged: the schema of")} {s.Database} {(s.Changed ? "to" : "in")} {s.Path} ({s.SizeBytes / 1024.0:0.0} kB, {s.Versions} applied version(s) listed, {s.DurationMilliseconds} ms)",
        BackupTestResult t => t.Passed
            ? $"ok       {t.Backup} restores cleanly: {t.TablesChecked} tables, {t.RowsChecked} rows match ({t.RestoreMilliseconds} ms to restore)"
            : $"PROBLEM  {t.Backup} restored with {t.DifferenceCount} difference(s):\n" + string.Join("\n", t.Differences.Select(d => "  " + Line(d))),
        HealthCheck h => $"{(h.Passed ? "ok     " : "FAILED ")}  {h.Name,-17} {h.Detail}",
        SessionActivity a => $"{a.Pid,-7} {a.User}/{a.Application,-20} {a.State,-20} {(a.TransactionSeconds is { } x ? $"tx {x:0}s" : ""),-9} {(a.LongRunning ? "LONG " : "")}{(a.IdleInTransaction ? "IDLE-IN-TX " : "")}{a.Query}",
        DatabaseReadiness r => $"{r.Database}: ready (PostgreSQL {r.ServerVersion}{(r.InRecovery ? ", a standby in recovery" : "")}) after {r.WaitedSeconds:0.##} s, {r.Attempts} {(r.Attempts == 1 ? "try" : "tries")}",
        ActivitySummary s => $"{s.Server}: {s.Connections} of {s.MaxConnections} connections ({s.UsedPercent:0.#}%), {s.Active} active, {s.Idle} idle, {s.IdleInTransaction} idle in transaction, {s.LongRunning} long-running, {s.WaitingForLocks} waiting for locks",
        RestoreResult x => $"restored {x.Backup} into {x.Database}{(x.Created ? " (created)" : "")}{(x.Replaced ? " (objects replaced)" : "")} in {x.DurationMilliseconds} ms",
        LintFinding l => l.ToString(),
        EphemeralDatabase e => $"throwaway PostgreSQL {e.ServerVersion} on {e.Host}:{e.Port}, database {e.Database}, user {e.User}, ready in {e.StartSeconds:0.000} s (id {e.Id}, data in {e.DataDirectory})",
        ReportFile f => $"wrote the {f.Format} report {f.Path}: {f.Migrations} migration(s), {f.Problems} problem(s){(f.Succeeded ? "" : ": the run FAILED")}",
        SchemaDifference d => $"{d.Change,-8} {d.Kind,-16} {d.QualifiedName}{Definitions(d)}",
        // What the summary promises a reader in bash (the object's ToString gives only the lock): size, who is in the way, lint.
        MigrationImpact m => m.ToString()
            + (m.Bytes is { } bytes ? $", {bytes / 1048576.0:0.0} MB" + (m.Rows is { } rows ? $", ~{rows} rows" : "") : "")
            + string.Concat(m.Blockers.Select(b => $"\n           in the way: {b}"))
            + (m.Findings.Count > 0 ? $"\n           lint: {string.Join(", ", m.Findings)}" + (m.SafeRewrite is { } safe ? $"; instead: {safe}" : "") : ""),
        _ => item.ToString() ?? "",
    };

    public static string InfoHeader => $"{"Version",-VersionWidth} {"Description",-40} {"Type",-9} {"State",-15} {"Installed on",-19} Time";

    private static string Definitions(SchemaDifference d) => d.Change switch
    {
        SchemaChange.Added => $"\n           + {d.Difference}",
        SchemaChange.Removed => $"\n           - {d.Reference}",
        _ => $"\n           - {d.Reference}\n           + {d.Difference}",
    };

    private static string Label(string? version, string description) => (version is null ? "R" : "V" + version) + " " + description;

    internal static string Trim(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
