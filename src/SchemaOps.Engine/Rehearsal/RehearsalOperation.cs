using System.Diagnostics;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.Lint;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Reports;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Rehearsal;

public sealed record RehearsalRequest
{
    /// <summary>Locations, layout, placeholders and the rest, as for migrate.</summary>
    public required MigrationSettings Settings { get; init; }
    /// <summary>A staging database; null: a throwaway PostgreSQL started for the rehearsal and removed after it.</summary>
    public ConnectionTarget? Target { get; init; }
    /// <summary>Restore this backup first (into the throwaway server, or a scratch database on the target's server).</summary>
    public string? FromBackup { get; init; }
    /// <summary>A migration taking longer fails the slow-migrations check; null: the config's slowThreshold, else <see cref="RehearsalOperation.DefaultSlowThreshold"/>.</summary>
    public TimeSpan? SlowThreshold { get; init; }
    /// <summary>Lint findings at this severity or above fail the lint check; null: the config's lintLevel, else warning.</summary>
    public LintSeverity? LintLevel { get; init; }
    /// <summary>Report files to write (format from the extension: .md, .json, .xml JUnit, .html).</summary>
    public IReadOnlyList<string> Reports { get; init; } = [];
    /// <summary>Where PostgreSQL's binaries are, for the throwaway server and pg_restore; null: found as usual.</summary>
    public string? PgBinDirectory { get; init; }
}

/// <summary>
/// Invoke-MigrationRehearsal / `schemaops rehearse`: what every runbook asks for, in one command. Lint the set;
/// apply everything, timing each migration; validate; snapshot; undo everything that has an undo script;
/// compare with the state before (the undo must restore it exactly); re-apply; compare with the first apply
/// (it must reproduce it); report. A migration without an undo script is a floor: it is applied first, the
/// "before" snapshot is taken above it, and only what comes after is undone and re-applied.
/// </summary>
public static class RehearsalOperation
{
    /// <summary>Every runbook's line for a migration too slow for a maintenance window.</summary>
    public static readonly TimeSpan DefaultSlowThreshold = TimeSpan.FromSeconds(30);
    private const int ProgressId = 40;
    private const string Activity = "Rehearsal";

    public static async Task<RehearsalResult> RunAsync(RehearsalRequest request, IOperationSink sink, CancellationToken ct, Action<RehearsalCheck>? onCheck = null)
    {
        var clock = Stopwatch.StartNew();
        // The request's (a parameter) wins over the config's (file or environment variable), which wins over the default.
        var slowThreshold = request.SlowThreshold ?? request.Settings.SlowThreshold ?? DefaultSlowThreshold;
        var lintLevel = request.LintLevel ?? request.Settings.LintLevel ?? LintSeverity.Warning;
        // A throwaway server has none of the live roles an initSql would SET ROLE to: the set runs as its superuser.
        var settings = request.Settings with { LintLevel = null, Target = null, InitSql = null };
        var checks = new List<RehearsalCheck>();
        void Check(RehearsalCheck check)
        {
            checks.Add(check);
            onCheck?.Invoke(check);
        }
        void Progress(string status, int percent) => sink.WriteProgress(new ProgressRecordInfo(ProgressId, Activity, status, percent));

        // Lint first: no database needed, and a problem in the files is found even if the server cannot start.
        Progress("linting", 0);
        var set = MigrationRequest.Scan(settings, sink); // read once: every step below reuses it
        var findings = settings.LintRules.Apply(Linter.LintSet(set, new LintOptions { Layout = set.Layout, Group = settings.Group, Mixed = settings.Mixed }));
        var blocking = findings.Where(f => f.Severity >= lintLevel).ToList();
        Check(new RehearsalCheck
        {
            Name = "lint", Passed = blocking.Count == 0,
            Detail = $"{blocking.Count} finding(s) at {lintLevel.ToString().ToLowerInvariant()} or above, {findings.Count - blocking.Count} below",
            Problems = blocking.Select(f => f.ToString()).ToList(),
        });

        var place = await RehearsalPlace.OpenAsync(request, settings, sink, ct).ConfigureAwait(false);
        await using var placeScope = place.ConfigureAwait(false);
        var migration = new MigrationRequest(place.Target, settings) { Scanned = set };
        var run = new Run(migration, sink, ct) { MakesRoles = place.IsThrowaway, ComparesPrivileges = !place.LacksBackupPrivileges };
        var (undoable, floor) = await UndoPlanAsync(migration, set, ct).ConfigureAwait(false);

        // Apply: what cannot be undone first (the floor), then one version at a time, so each undo can be
        // compared with the state right before its own migration; repeatables last, as in any migrate.
        var watch = Stopwatch.StartNew();
        Progress("applying", 10);
        string? error = floor is null ? null : await run.ApplyAsync(run.First, floor, versionedOnly: true).ConfigureAwait(false);
        var start = error is null ? await run.SnapshotAsync(RowCountMode.Exact).ConfigureAwait(false) : null;
        var before = new Dictionary<string, SchemaSnapshot>();
        foreach (var version in undoable)
        {
            if (error is not null) break;
            before[version] = before.Count == 0 ? start! : await run.SnapshotAsync(RowCountMode.None).ConfigureAwait(false);
            Progress($"applying {version}", 10 + 40 * before.Count / undoable.Count);
            error = await run.ApplyAsync(run.First, version, versionedOnly: true).ConfigureAwait(false);
        }
        var versionedOnly = error is null && undoable.Count > 0 ? await run.SnapshotAsync(RowCountMode.None).ConfigureAwait(false) : null;
        error ??= await run.ApplyAsync(run.First, null, versionedOnly: false).ConfigureAwait(false);
        Check(Step("apply", error, $"{run.First.Count} migration(s) applied" + run.RolesMade, watch));

        SchemaSnapshot? applied = null;
        if (error is null)
        {
            Check(SlowCheck(run.First, slowThreshold));
            Check(await run.ValidateAsync().ConfigureAwait(false));
            applied = await run.SnapshotAsync(RowCountMode.Exact).ConfigureAwait(false);
        }

        List<SchemaDifference> undoDifferences = [], reapplyDifferences = [];
        if (error is not null) Check(Skipped("undo", "the apply failed"));
        else if (undoable.Count == 0) Check(Skipped("undo", floor is null ? "nothing was applied" : $"the latest migration, {floor}, has no undo script, so none can be undone in order: the way back is untested"));
        else
        {
            // Objects the repeatables made (views...): compared only at the end, once every undo has run.
            var repeatableObjects = SnapshotComparer.Compare(versionedOnly!, applied!).Select(Key).ToHashSet();
            watch.Restart();
            foreach (var version in Enumerable.Reverse(undoable))
            {
                Progress($"undoing {version}", 50 + 25 * run.Undone.Count / undoable.Count);
                error = await run.UndoOneAsync().ConfigureAwait(false);
                if (error is not null) break;
                var left = SnapshotComparer.Compare(before[version], await run.SnapshotAsync(RowCountMode.None).ConfigureAwait(false))
                    .Where(d => d.Kind is not (SchemaObjectKind.Migration or SchemaObjectKind.RowCount) && !repeatableObjects.Contains(Key(d))).ToList();
                if (left.Count == 0) continue;
                undoDifferences = left;
                error = $"undoing {version} does not restore the state before it";
                break;
            }
            Check(Step("undo", error, $"{run.Undone.Count} migration(s) undone, each compared with the state before its migration", watch, undoDifferences));
            if (error is null) undoDifferences = await run.CompareAsync("undo restores the state before", start!, Check).ConfigureAwait(false);
            if (error is null && undoDifferences.Count == 0)
            {
                Progress("re-applying", 80);
                watch.Restart();
                error = await run.ApplyAsync(run.Again, null, versionedOnly: false).ConfigureAwait(false);
                Check(Step("re-apply", error, $"{run.Again.Count} migration(s) applied", watch));
                if (error is null) reapplyDifferences = await run.CompareAsync("re-apply reproduces the first apply", applied!, Check).ConfigureAwait(false);
            }
            else Check(Skipped("re-apply", "the undo did not restore the state before"));
        }

        var passed = checks.All(c => c.Passed);
        var title = $"SchemaOps rehearsal of {string.Join(", ", settings.Locations)}: {(passed ? "PASSED" : "FAILED")}";
        var result = new RehearsalResult
        {
            Locations = settings.Locations, Target = place.Display, Layout = set.Layout, Passed = passed,
            Checks = checks, Migrations = Steps(set, run, findings, slowThreshold), LintFindings = findings, UndoDifferences = undoDifferences,
            ReapplyDifferences = reapplyDifferences, SlowThresholdSeconds = slowThreshold.TotalSeconds, Seconds = clock.Elapsed.TotalSeconds,
            Reports = WriteReports(request.Reports, title, place.Display, run, checks, [.. undoDifferences, .. reapplyDifferences]),
        };
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, Activity, result.Verdict, 100, Completed: true));
        return result;
    }

    private static RehearsalCheck Skipped(string name, string why) => new() { Name = name, Passed = true, Skipped = true, Detail = why };

    /// <summary>The pending versions that can be undone (the top ones with undo scripts), in order, and the highest pending one below them that cannot.</summary>
    private static async Task<(List<string> Undoable, string? Floor)> UndoPlanAsync(MigrationRequest request, ScannedMigrations set, CancellationToken ct)
    {
        var info = await InfoOperation.InfoAsync(request, NullSink.Instance, ct).ConfigureAwait(false);
        var withUndo = set.Scripts.Where(s => s.Kind == MigrationKind.Undo).Select(s => s.Version!.ToString()).ToHashSet();
        var pending = info.Where(i => i.Kind == MigrationKind.Versioned && i.State == MigrationState.Pending).OrderByDescending(i => i.Version).ToList();
        var undoable = pending.TakeWhile(i => withUndo.Contains(i.Version!.Text)).Select(i => i.Version!.Text).Reverse().ToList();
        return (undoable, undoable.Count < pending.Count ? pending[undoable.Count].Version!.Text : null);
    }

    private static RehearsalCheck SlowCheck(List<MigrationResult> applied, TimeSpan threshold)
    {
        var slow = applied.Where(r => r.ExecutionTime > threshold.TotalMilliseconds).ToList();
        return new RehearsalCheck
        {
            Name = "slow migrations", Passed = slow.Count == 0,
            Detail = slow.Count == 0 ? $"none took longer than {threshold.TotalSeconds:0.###} s" : $"{slow.Count} took longer than {threshold.TotalSeconds:0.###} s",
            Problems = slow.Select(r => $"{r.Script}: {r.ExecutionTime / 1000.0:0.0} s (here, on this data: expect longer on production's)").ToList(),
        };
    }

    private static List<RehearsalStep> Steps(ScannedMigrations set, Run run, IReadOnlyList<LintFinding> findings, TimeSpan threshold)
    {
        var undo = set.Scripts.Where(s => s.Kind == MigrationKind.Undo).ToDictionary(s => s.Version!.ToString());
        static string Key(MigrationResult r) => r.Version?.Text ?? "R " + r.Description;
        var first = run.First.GroupBy(Key).ToDictionary(g => g.Key, g => g.Last());
        var again = run.Again.GroupBy(Key).ToDictionary(g => g.Key, g => g.Last());
        var undone = run.Undone.ToDictionary(r => r.Version!.Text);
        return set.Scripts.Where(s => s.Kind != MigrationKind.Undo)
            .OrderBy(s => s.Kind == MigrationKind.Repeatable).ThenBy(s => s.Version).ThenBy(s => s.Description, StringComparer.Ordinal)
            .Select(s =>
            {
                var key = s.Version?.ToString() ?? "R " + s.Description;
                var applied = first.GetValueOrDefault(key);
                return new RehearsalStep
                {
                    Version = s.Version, Description = s.Description, Kind = s.Kind, Script = s.DisplayPath,
                    ApplySeconds = applied?.ExecutionTime / 1000.0, UndoSeconds = undone.GetValueOrDefault(key)?.ExecutionTime / 1000.0,
                    ReapplySeconds = again.GetValueOrDefault(key)?.ExecutionTime / 1000.0, HasUndo = s.Version is not null && undo.ContainsKey(key),
                    Slow = applied is not null && applied.ExecutionTime > threshold.TotalMilliseconds,
                    LintFindings = findings.Count(f => f.File == s.DisplayPath),
                };
            }).ToList();
    }

    /// <summary>The report capability's formats: the first apply's results, validation, differences, and each check as a test case.</summary>
    private static List<string> WriteReports(IReadOnlyList<string> paths, string title, string target, Run run, List<RehearsalCheck> checks, List<SchemaDifference> differences)
    {
        if (paths.Count == 0) return [];
        IEnumerable<object> items = [.. run.First, .. run.Validation, .. differences, .. checks.Select(c => new HealthCheck
        {
            Name = $"rehearsal: {c.Name}", Passed = c.Passed, Database = target,
            Detail = (c.Skipped ? "skipped: " : "") + c.Detail + string.Concat(c.Problems.Select(p => "\n" + p)),
        })];
        var report = ReportOperation.Build(items, title);
        return paths.Select(p => ReportOperation.Write(report, p, ReportOperation.FormatOf(p)).Path).ToList();
    }

    private static (SchemaObjectKind, string, string) Key(SchemaDifference d) => (d.Kind, d.Schema, d.Name);

    private static RehearsalCheck Step(string name, string? error, string detail, Stopwatch watch, IReadOnlyList<SchemaDifference>? differences = null) => new()
    {
        Name = name, Passed = error is null, Detail = error is null ? detail : error.Split('\n')[0], Seconds = watch.Elapsed.TotalSeconds,
        Problems = error is null ? [] : [.. (differences ?? []).Select(Describe), .. differences is { Count: > 0 } ? Array.Empty<string>() : [error]],
    };

    private static string Describe(SchemaDifference d) => d.Change switch
    {
        SchemaChange.Changed => $"{d}: was {Short(d.Reference)} | now {Short(d.Difference)}",
        SchemaChange.Removed => $"{d}: {Short(d.Reference)}",
        _ => $"{d}: {Short(d.Difference)}",
    };

    private static string Short(string? text) => text is null ? "" : (text.Length > 240 ? text[..240] + "..." : text).ReplaceLineEndings(" ");

    /// <summary>The database steps: each returns null, or the error that stopped it.</summary>
    private sealed class Run(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        public List<MigrationResult> First { get; } = [];
        public List<MigrationResult> Again { get; } = [];
        public List<MigrationResult> Undone { get; } = [];
        public List<ValidationResult> Validation { get; } = [];

        /// <summary>Whether the roles the migrations name are made on the server when missing (a throwaway one).</summary>
        public bool MakesRoles { get; init; }
        private readonly SortedSet<string> _rolesMade = new(StringComparer.Ordinal);
        public string RolesMade => _rolesMade.Count == 0 ? "" : $" (made on the throwaway server, as the migrations name them: role {string.Join(", ", _rolesMade)})";

        /// <summary>Migrates up to <paramref name="target"/> (null: everything).</summary>
        public Task<string?> ApplyAsync(List<MigrationResult> into, string? target, bool versionedOnly) => AttemptAsync(into, inner =>
            MigrateOperation.MigrateAsync(request with { Settings = request.Settings with { Target = target, VersionedOnly = versionedOnly } }, inner, ct));

        public Task<string?> UndoOneAsync() => AttemptAsync(Undone, inner => UndoOperation.UndoAsync(request, UndoScope.Last(1), inner, ct));

        /// <summary>Runs one operation; its migration results go <paramref name="into"/> even when it fails. Null, or the error that stopped it.</summary>
        private async Task<string?> AttemptAsync(List<MigrationResult> into, Func<ConfirmedSink, Task> operation)
        {
            var inner = new ConfirmedSink(sink);
            try
            {
                if (!MakesRoles) await operation(inner).ConfigureAwait(false);
                else
                    await MissingRoles.RunAsync(request.Target, _rolesMade, async () =>
                    {
                        // The attempt before stopped at a missing role: what it applied stays; its failed migration runs again.
                        into.AddRange(inner.Results.Where(r => r.Outcome != MigrationOutcome.Failed));
                        inner = new ConfirmedSink(sink);
                        await operation(inner).ConfigureAwait(false);
                    }, retryable: () => inner.Results.All(r => r.Outcome != MigrationOutcome.Failed || r.InTransaction), sink, ct).ConfigureAwait(false);
                return null;
            }
            catch (SchemaOpsException e) when (!ct.IsCancellationRequested) // Ctrl+C stops the rehearsal; it is not a failed step
            {
                return e.Message;
            }
            finally
            {
                into.AddRange(inner.Results);
            }
        }

        public async Task<RehearsalCheck> ValidateAsync()
        {
            var watch = Stopwatch.StartNew();
            Validation.AddRange(await InfoOperation.ValidateAsync(request, NullSink.Instance, ct).ConfigureAwait(false));
            var failed = Validation.Where(v => !v.Passed).ToList();
            return new RehearsalCheck
            {
                Name = "validate", Passed = failed.Count == 0, Seconds = watch.Elapsed.TotalSeconds,
                Detail = failed.Count == 0 ? "checksums and history agree with the files" : $"{failed.Count} problem(s)", Problems = failed.Select(v => v.ToString()).ToList(),
            };
        }

        public bool ComparesPrivileges { get; init; } = true;

        public async Task<SchemaSnapshot> SnapshotAsync(RowCountMode rows)
        {
            var snapshot = await SnapshotOperation.TakeAsync(request, rows, NullSink.Instance, ct).ConfigureAwait(false);
            if (!ComparesPrivileges) snapshot.Objects.RemoveAll(o => o.Kind == SchemaObjectKind.Privileges);
            return snapshot;
        }

        /// <summary>Objects and exact row counts (the history table is the migrations' record, not part of the schema compared).</summary>
        public async Task<List<SchemaDifference>> CompareAsync(string name, SchemaSnapshot expected, Action<RehearsalCheck> check)
        {
            var watch = Stopwatch.StartNew();
            var differences = SnapshotComparer.Compare(expected, await SnapshotAsync(RowCountMode.Exact).ConfigureAwait(false)).Where(d => d.Kind != SchemaObjectKind.Migration).ToList();
            check(new RehearsalCheck
            {
                Name = name, Passed = differences.Count == 0, Seconds = watch.Elapsed.TotalSeconds,
                Detail = differences.Count == 0 ? "identical: objects and exact row counts" : $"{differences.Count} difference(s)",
                Problems = differences.Select(Describe).ToList(),
            });
            return differences;
        }
    }
}
