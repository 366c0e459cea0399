using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>Which applied migrations to undo: the last N, everything above a version, or all.</summary>
public sealed record UndoScope(int? Count = null, string? Target = null, bool All = false)
{
    public static UndoScope Last(int count) => new(Count: count);
}

/// <summary>
/// Undo with U scripts (Flyway), down sections (dbmate) or .down.sql files (golang-migrate): the chosen
/// applied migrations in reverse applied order, each in a transaction with its history change (Flyway
/// Teams' UNDO_SQL row, which Flyway Community cannot read; dbmate's row deleted; golang-migrate's version
/// set back). Refused before anything changes if any migration in the range has no undo script or its
/// script changed since it was applied (where the history keeps checksums). An empty undo script runs as a
/// no-op with a note, as Flyway, dbmate and golang-migrate all run it: real projects ship empty downs for
/// data backfills, whose undo is to leave the data as it is.
/// </summary>
public static class UndoOperation
{
    private const int ProgressId = 2;

    public static async Task<IReadOnlyList<MigrationResult>> UndoAsync(MigrationRequest request, UndoScope scope, IOperationSink sink, CancellationToken ct)
    {
        if (new[] { scope.Count is not null, scope.Target is not null, scope.All }.Count(x => x) != 1)
            throw Errors.Parameter(ErrorCatalog.InvalidUndoScope, "say what to undo with exactly one of -Count / --count, -Target / --target or -All / --all");
        if (scope.Count is < 1) throw Errors.Parameter(ErrorCatalog.InvalidUndoScope, $"count must be at least 1 (was {scope.Count})");
        var target = scope.Target is null ? null
            : MigrationVersion.TryParse(scope.Target, out var v, out var error) ? v : throw Errors.Parameter(ErrorCatalog.InvalidTarget, $"target: {error}", scope.Target);

        var settings = request.Settings;
        var safety = settings.Safety; // bad values are refused before anything connects
        var session = await request.OpenWithScriptsAsync(sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        return await request.GuardAsync("undoing", async () =>
        {
            var migrationLock = await MigrationLock.AcquireAsync(session, settings.LockWaitTimeout, sink, ct).ConfigureAwait(false);
            await using var migrationLockScope = migrationLock.ConfigureAwait(false);
            var undoScripts = session.Scripts.Where(s => s.Kind == MigrationKind.Undo).ToDictionary(s => s.Version!);
            var entries = StateResolver.Resolve(session.Scripts, await session.ReadHistoryToChangeAsync(ct).ConfigureAwait(false), null, session.OutOfOrder);
            var applied = entries.Where(e => e.Kind == MigrationKind.Versioned && e.State is MigrationState.Success or MigrationState.OutOfOrder)
                .OrderByDescending(e => e.Applied!.InstalledRank).ToList();
            var range = scope.All ? applied
                : target is not null ? applied.Where(e => e.Version! > target).ToList()
                : applied.Take(scope.Count!.Value).ToList();
            if (scope.Count > applied.Count)
                throw Errors.Refusal(ErrorCatalog.UndoRangeTooLarge, $"{request.Target.Display} has {applied.Count} applied migration(s); cannot undo {scope.Count}");
            if (range.Count == 0)
            {
                sink.WriteVerbose($"nothing to undo in {request.Target.Display}");
                return [];
            }

            var problems = range.SelectMany(e => Problems(e, undoScripts, session.Layout)).ToList();
            if (problems.Count > 0)
                throw new SchemaOpsException(ErrorCatalog.UndoRefused,
                    $"nothing was undone in {request.Target.Display}:\n  " + string.Join("\n  ", problems), version: range[0].VersionText);
            var plan = range.Select(e => session.Prepare(undoScripts[e.Version!])).ToList();
            foreach (var empty in plan.Where(p => p.Statements.Count == 0))
                sink.WriteWarning($"V{empty.Script.Version}: its undo script {empty.Script.DisplayPath} runs no statement: undoing it only takes it out of the history, what it did stays");

            var where = request.Target.Display;
            var accepted = 0;
            var stillAccepting = true;
            foreach (var p in plan)
            {
                var yes = sink.ShouldProcess($"V{p.Script.Version} in {where}", $"Undo with {p.Script.DisplayPath}" + (p.InTransaction ? "" : $" without a transaction ({p.NoTransactionReason})"));
                if (stillAccepting && yes) accepted++;
                else stillAccepting = false;
            }
            if (accepted > 0 && accepted < plan.Count)
                sink.WriteWarning($"only the first {accepted} of {plan.Count} undos will run: the rest come after one that was declined");

            if (accepted == 0) return [];
            ProductionGuard.DemandConfirmation(request, "undo");
            await session.WarnIfCommitsWaitAsync(sink, ct).ConfigureAwait(false);

            var watch = await LockWatch.StartAsync(session, safety, ct).ConfigureAwait(false);
            await using var watchScope = LockWatch.Scope(watch);
            var callbacks = OperationCallbacks.For(session, "Undo");
            var executor = session.NewExecutor(settings.InstalledBy, safety, sink, watch, callbacks);
            return await callbacks.AroundAsync(executor, sink, async () =>
            {
                var results = new List<MigrationResult>();
                var queue = new Queue<PreparedScript>(plan.Take(accepted));
                while (queue.TryPeek(out var p))
                {
                    var done = accepted - queue.Count;
                    sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Undoing in {request.Target.Database}", $"V{p.Script.Version} ({done + 1}/{accepted})", 100 * done / accepted));
                    if (!p.InTransaction) await session.RefuseBehindPoolerAsync(p, ct).ConfigureAwait(false);
                    try
                    {
                        var (rank, elapsed) = await executor.ApplyAsync(p, ct).ConfigureAwait(false);
                        queue.Dequeue();
                        Emit(p, MigrationOutcome.Applied, elapsed, rank);
                    }
                    catch (HistoryChangedException changed)
                    {
                        // Another runner changed the history first: undo only what is still applied.
                        sink.WriteVerbose($"{changed.Message}; reading the history again");
                        var now = StateResolver.Resolve(session.Scripts, await session.ReadHistoryToChangeAsync(ct).ConfigureAwait(false), null, session.OutOfOrder)
                            .Where(e => e.Kind == MigrationKind.Versioned && e.State is MigrationState.Success or MigrationState.OutOfOrder).Select(e => e.Version!).ToHashSet();
                        foreach (var gone in queue.Where(q => !now.Contains(q.Script.Version!)))
                        {
                            sink.WriteVerbose($"V{gone.Script.Version} was undone by another runner meanwhile: skipped");
                            Emit(gone, MigrationOutcome.Skipped, 0, null);
                        }
                        queue = new Queue<PreparedScript>(queue.Where(q => now.Contains(q.Script.Version!)));
                    }
                }

                void Emit(PreparedScript p, MigrationOutcome outcome, int elapsed, int? rank)
                {
                    var result = new MigrationResult
                    {
                        Version = p.Script.Version, Description = p.Script.Description, Kind = MigrationKind.Undo, Script = p.Script.Script,
                        Checksum = p.Script.Checksum, Outcome = outcome, ExecutionTime = elapsed, InTransaction = p.InTransaction,
                        InstalledRank = rank, Database = request.Target.Database,
                    };
                    results.Add(result);
                    sink.WriteObject(result);
                }
                sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Undoing in {request.Target.Database}", "done", 100, Completed: true));
                return (IReadOnlyList<MigrationResult>)results;
            }, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static IEnumerable<string> Problems(MigrationEntry e, Dictionary<MigrationVersion, MigrationScript> undoScripts, MigrationLayout layout)
    {
        if (!undoScripts.TryGetValue(e.Version!, out var undo))
            yield return $"{e.Label} has no undo script ({layout switch
            {
                MigrationLayout.GolangMigrate => $"{e.VersionText}_<title>.down.sql",
                _ => $"U{e.VersionText}__<description>.sql",
            }})";
        if (e.Local is null) yield return $"{e.Label}: its script is not in the migration locations, so what it did cannot be checked";
        else if (e.Applied!.ChecksumKnown && e.Local.Checksum != e.Applied.Checksum)
            yield return $"{e.Label}: {e.Local.DisplayPath} changed since it was applied (checksum {e.Applied.Checksum} applied, {e.Local.Checksum} now): its undo may not match";
    }
}
