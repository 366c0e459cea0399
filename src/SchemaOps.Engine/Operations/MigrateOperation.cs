using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Lint;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// migrate: under the migration lock, read the history, validate, plan, ask (ShouldProcess) about every
/// change up front, then apply the accepted changes in order, each migration atomically with its row.
/// Nothing is changed before every pending script has been read and split, so bad input changes nothing.
/// </summary>
public static class MigrateOperation
{
    private const int ProgressId = 1;

    public static async Task<IReadOnlyList<MigrationResult>> MigrateAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var settings = request.Settings;
        var safety = settings.Safety; // bad values are refused before anything connects
        if (settings.CreateDatabase && !await DatabaseCreation.EnsureAsync(request, sink, ct).ConfigureAwait(false))
        {
            sink.WriteWarning($"{request.Target.Display} does not exist yet, so nothing more can be planned: every migration would run once it is created");
            return [];
        }
        var session = await request.OpenWithScriptsAsync(sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        return await request.GuardAsync("migrating", async () =>
        {
            var migrationLock = await MigrationLock.AcquireAsync(session, settings.LockWaitTimeout, sink, ct).ConfigureAwait(false);
            await using var migrationLockScope = migrationLock.ConfigureAwait(false);

            var (missingSchemas, tableMissing, baselineFirst, plan) = await PlanAsync(session, request, ct).ConfigureAwait(false);
            if (settings.LintLevel is { } level) LintGate.Check(session, plan, settings.Group, level, settings.LintRules);

            // Ask about every change first: -WhatIf lists them all, -Confirm settles the plan before anything runs.
            var where = request.Target.Display;
            var setupNeeded = tableMissing || baselineFirst;
            var setupAccepted = !setupNeeded || sink.ShouldProcess($"{session.History.Name} in {where}",
                (tableMissing ? session.History.SetupAction + (missingSchemas.Count > 0 ? $" and schema(s) {string.Join(", ", missingSchemas)}" : "") : "") +
                (baselineFirst ? $"{(tableMissing ? "; " : "")}Baseline at version {request.BaselineVersion}" : ""));
            var accepted = 0;
            var stillAccepting = setupAccepted;
            foreach (var p in plan)
            {
                // The lock it takes, as Get-MigrationImpact names it: what -WhatIf and --what-if show before a window
                // (about 30 ms per 1,000 migrations: not paid when nobody reads the question).
                var locks = sink.ShowsQuestions && Impact.StatementLocks.Summary(p.Statements, p.Script.Text, session.ServerVersionNum / 10000) is { } summary
                    ? $"; locks {summary}" : "";
                var yes = sink.ShouldProcess($"{p.Script.Label} in {where}",
                    (p.InTransaction ? "Apply migration" : $"Apply migration without a transaction ({p.NoTransactionReason})") + locks);
                if (stillAccepting && yes) accepted++;
                else stillAccepting = false;
            }
            if (accepted > 0 && accepted < plan.Count)
                sink.WriteWarning($"only the first {accepted} of {plan.Count} migrations will run: the rest come after one that was declined");
            if (plan.Count == 0) sink.WriteVerbose($"{where} is up to date: no migration to apply");
            var callbacks = OperationCallbacks.For(session, "Migrate");
            // As in Flyway, beforeMigrate and afterMigrate run on every migrate, pending migrations or not:
            // re-granting privileges after each deployment is their classic use.
            var callbacksOnly = plan.Count == 0 && callbacks.Before.Count + callbacks.After.Count > 0 &&
                sink.ShouldProcess(where, "Run the beforeMigrate / afterMigrate callbacks (no migration to apply)");
            if (!setupAccepted || accepted == 0 && !setupNeeded && !callbacksOnly) return [];
            await session.WarnIfCommitsWaitAsync(sink, ct).ConfigureAwait(false);

            var accept = plan.Take(accepted).ToList();
            if (setupNeeded)
            {
                await HistorySetup.SetUpAsync(session, settings, baselineFirst ? HistoryRow.Baseline(request.BaselineVersion.Text, settings.BaselineDescription, settings.InstalledBy) : null, ct).ConfigureAwait(false);
                // What was planned before the history existed is planned again from it (another runner may have set it up and applied some).
                accept = await StillToRunAsync(session, request, accept, sink, ct).ConfigureAwait(false);
            }

            if (accepted == 0 && !callbacksOnly) return [];
            var watch = (accepted > 0 ? await LockWatch.StartAsync(session, safety, ct).ConfigureAwait(false) : null);
            await using var watchScope = LockWatch.Scope(watch);
            var executor = session.NewExecutor(settings.InstalledBy, safety, sink, watch, callbacks);
            return await callbacks.AroundAsync(executor, sink, () => accept.Count == 0 ? Task.FromResult<IReadOnlyList<MigrationResult>>([])
                : settings.Group ? ApplyGroupAsync(executor, session, accept, request, sink, ct)
                : ApplyEachAsync(executor, session, accept, request, sink, ct), ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Each migration in its own transaction (or none), in order; stops at the first failure. When another runner
    /// changed the history first (its guard stopped our transaction before its first statement), the rest is planned
    /// again: what that runner applied is reported Skipped, the others run.
    /// </summary>
    private static async Task<IReadOnlyList<MigrationResult>> ApplyEachAsync(ScriptExecutor executor, MigrationSession session, List<PreparedScript> plan,
        MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var total = plan.Count;
        var results = new List<MigrationResult>();
        var queue = new Queue<PreparedScript>(plan);
        while (queue.TryPeek(out var p))
        {
            var done = total - queue.Count;
            sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {request.Target.Database}", $"{p.Script.Label} ({done + 1}/{total})", 100 * done / total));
            sink.WriteVerbose($"applying {p.Script.DisplayPath} ({(p.InTransaction ? "in a transaction" : "without a transaction: " + p.NoTransactionReason)})");
            if (!p.InTransaction) await session.RefuseBehindPoolerAsync(p, ct).ConfigureAwait(false);
            MigrationResult result;
            try
            {
                var (rank, elapsed) = await executor.ApplyAsync(p, ct).ConfigureAwait(false);
                result = Result(p, MigrationOutcome.Applied, elapsed, rank, request.Target.Database, null);
            }
            catch (HistoryChangedException changed)
            {
                sink.WriteVerbose($"{changed.Message}; reading the history again");
                var still = await StillToRunAsync(session, request, queue.ToList(), sink, ct).ConfigureAwait(false);
                foreach (var skipped in queue.Where(q => !still.Contains(q))) Emit(Result(skipped, MigrationOutcome.Skipped, 0, null, request.Target.Database, null));
                queue = new Queue<PreparedScript>(still);
                continue;
            }
            catch (Exception e)
            {
                var error = e as SchemaOpsException ?? Connections.DatabaseErrors.Translate(e, request.Target, $"applying {p.Script.DisplayPath}");
                sink.WriteObject(Result(p, MigrationOutcome.Failed, 0, null, request.Target.Database, error.Message));
                sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {request.Target.Database}", "failed", 100, Completed: true));
                throw error;
            }
            queue.Dequeue();
            Emit(result); // committed: reported even if the pipeline stops right here
        }
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {request.Target.Database}", "done", 100, Completed: true));
        return results;

        void Emit(MigrationResult r)
        {
            results.Add(r);
            sink.WriteObject(r);
        }
    }

    /// <summary>
    /// Which of <paramref name="accepted"/> still have to run after the history changed under us: the ones another
    /// runner applied meanwhile drop out (a verbose line says so). A change this run did not plan for (one of them is
    /// now failed, say) stops the run before anything else is applied.
    /// </summary>
    internal static async Task<List<PreparedScript>> StillToRunAsync(MigrationSession session, MigrationRequest request, List<PreparedScript> accepted,
        IOperationSink sink, CancellationToken ct)
    {
        var entries = StateResolver.Resolve(session.Scripts, await session.ReadHistoryToChangeAsync(ct).ConfigureAwait(false), request.TargetVersion, session.OutOfOrder);
        var states = entries.Where(e => e.Local is not null).GroupBy(e => e.Local!).ToDictionary(g => g.Key, g => g.Last().State);
        var still = new List<PreparedScript>();
        foreach (var p in accepted)
        {
            var state = states.GetValueOrDefault(p.Script);
            if (state is MigrationState.Pending or MigrationState.Outdated) still.Add(p);
            else if (state is MigrationState.Success or MigrationState.OutOfOrder)
                sink.WriteVerbose($"{p.Script.Label} was applied by another runner meanwhile: skipped");
            else
                throw Errors.Refusal(ErrorCatalog.HistoryChangedUnderneath,
                    $"another runner changed the history of {request.Target.Display} while this run waited: {p.Script.Label} is now {state}. " +
                    "Nothing more was applied by this run; look at the state (info / Get-MigrationStatus) and run again.", p.Script.Version?.Text);
        }
        return still;
    }

    /// <summary>All the accepted migrations in one transaction; results are emitted once it has committed.</summary>
    private static async Task<IReadOnlyList<MigrationResult>> ApplyGroupAsync(ScriptExecutor executor, MigrationSession session, List<PreparedScript> group,
        MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var database = request.Target.Database;
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {database}", $"{group.Count} migrations in one transaction", 0));
        sink.WriteVerbose($"applying {group.Count} migration(s) in one transaction: all or none");
        var skipped = new List<MigrationResult>();
        try
        {
            List<(int? Rank, int ElapsedMs)> applied;
            while (true)
            {
                try
                {
                    applied = group.Count == 0 ? [] : await executor.ApplyGroupAsync(group, ct).ConfigureAwait(false);
                    break;
                }
                catch (HistoryChangedException changed)
                {
                    sink.WriteVerbose($"{changed.Message}; reading the history again");
                    var still = await StillToRunAsync(session, request, group, sink, ct).ConfigureAwait(false);
                    skipped.AddRange(group.Where(p => !still.Contains(p)).Select(p => Result(p, MigrationOutcome.Skipped, 0, null, database, null)));
                    group = still;
                }
            }
            foreach (var r in skipped) sink.WriteObject(r);
            var results = group.Select((p, i) => Result(p, MigrationOutcome.Applied, applied[i].ElapsedMs, applied[i].Rank, database, null)).ToList();
            foreach (var r in results) sink.WriteObject(r);
            return [.. skipped, .. results];
        }
        catch (Exception e)
        {
            var error = e as SchemaOpsException ?? Connections.DatabaseErrors.Translate(e, request.Target, "applying the group of migrations");
            foreach (var p in group) sink.WriteObject(Result(p, MigrationOutcome.Failed, 0, null, database, error.Message));
            throw error;
        }
        finally
        {
            sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {database}", "done", 100, Completed: true));
        }
    }

    /// <summary>
    /// Writes the SQL a migrate would run to <paramref name="path"/>, and changes nothing in the database (no
    /// lock, no history table). Returns the planned migrations.
    /// </summary>
    public static async Task<IReadOnlyList<MigrationResult>> DryRunAsync(MigrationRequest request, string path, IOperationSink sink, CancellationToken ct)
    {
        var settings = request.Settings;
        var safety = settings.Safety;
        var session = await request.OpenWithScriptsAsync(sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        return await request.GuardAsync("planning", async () =>
        {
            var (missingSchemas, tableMissing, baselineFirst, plan) = await PlanAsync(session, request, ct).ConfigureAwait(false);
            var callbacks = OperationCallbacks.For(session, "Migrate");
            var script = new DryRunScript(session.History, settings.InstalledBy, safety) { BeforeEach = callbacks.BeforeEach, AfterEach = callbacks.AfterEach };
            script.Header(request.Target.Display, plan.Count, session.SearchPath, !string.IsNullOrWhiteSpace(request.Settings.InitSql)); // with -Schema, that schema first, as a migrate would
            if (tableMissing || baselineFirst)
                script.Setup(missingSchemas, tableMissing,
                    baselineFirst ? HistoryRow.Baseline(request.BaselineVersion.Text, settings.BaselineDescription, settings.InstalledBy) : null);
            callbacks.Before.ForEach(script.Callback); // every migrate runs them, pending migrations or not
            if (settings.Group) script.Group(plan);
            else foreach (var p in plan) script.Migration(p);
            callbacks.After.ForEach(script.Callback);
            script.Save(path);
            sink.WriteVerbose($"wrote the SQL of {plan.Count} migration(s) to {path}; nothing was changed in {request.Target.Display}");
            var results = plan.Select(p => Result(p, MigrationOutcome.Planned, 0, null, request.Target.Database, null)).ToList();
            foreach (var r in results) sink.WriteObject(r);
            return (IReadOnlyList<MigrationResult>)results;
        }).ConfigureAwait(false);
    }

    /// <summary>What migrate would do, read-only: what to create, whether to baseline first, and the scripts to run in order.</summary>
    private static async Task<(List<string> MissingSchemas, bool TableMissing, bool BaselineFirst, List<PreparedScript> Plan)> PlanAsync(
        MigrationSession session, MigrationRequest request, CancellationToken ct)
    {
        var settings = request.Settings;
        var (missingSchemas, tableMissing) = await HistorySetup.InspectAsync(session, settings, ct).ConfigureAwait(false);
        // No schema named, and the history is not in the connection's: a Flyway config's schemas= forgotten on the command
        // line would start a second history here and apply every migration again. One named on purpose (a schema per
        // tenant, each with its own history) starts it.
        if (tableMissing && await session.HistoryElsewhereAsync(settings, ct).ConfigureAwait(false) is { } elsewhere)
            throw Errors.Refusal(ErrorCatalog.HistoryInOtherSchema,
                $"{elsewhere}. Applying them here would apply them again: nothing was changed. To start a new history in \"{session.History.Name.Schema}\" on purpose, name that schema");
        var rows = await session.ReadHistoryToChangeAsync(ct).ConfigureAwait(false);
        // Flyway's rule: a non-empty schema without history needs a baseline first. dbmate and golang-migrate
        // have no baseline and simply start applying, so their layouts keep their behaviour.
        var baselineFirst = session.Layout == MigrationLayout.Flyway && tableMissing && !missingSchemas.Contains(session.Schemas[0])
            && await session.SchemaHasObjectsAsync(session.Schemas[0], ct).ConfigureAwait(false);
        // Another runner may have created the history table (and applied something) since it was found missing.
        if (baselineFirst && await session.History.ExistsAsync(ct).ConfigureAwait(false)) return await PlanAsync(session, request, ct).ConfigureAwait(false);
        if (baselineFirst && !settings.BaselineOnMigrate)
            throw Errors.Refusal(ErrorCatalog.NonEmptySchemaWithoutHistory,
                $"schema \"{session.Schemas[0]}\" in {request.Target.Display} already holds objects but has no history table {session.History.Name}: " +
                "run baseline (Set-MigrationBaseline / schemaops baseline) to start from its current state, or pass -BaselineOnMigrate / --baseline-on-migrate");
        if (baselineFirst) rows = [MigrationRequest.SyntheticBaseline(request.BaselineVersion, settings.BaselineDescription)];

        var entries = StateResolver.Resolve(session.Scripts, rows, request.TargetVersion, session.OutOfOrder);
        CheckBeforeMigrate(entries, settings, request.IgnorePatterns, request);
        var plan = entries.Where(e => e.State == MigrationState.Pending && e.Kind == MigrationKind.Versioned).OrderBy(e => e.Version)
            .Concat(entries.Where(e => !settings.VersionedOnly && e.Kind == MigrationKind.Repeatable && e.Local is not null && e.State is MigrationState.Pending or MigrationState.Outdated)
                           .OrderBy(e => e.Description, StringComparer.Ordinal))
            .Select(e => session.Prepare(e.Local!))
            .ToList();
        if (settings.Group && plan.FirstOrDefault(p => !p.InTransaction) is { } outside)
            throw new SchemaOpsException(ErrorCatalog.GroupNeedsTransactions,
                $"{outside.Script.DisplayPath} cannot run inside a transaction ({outside.NoTransactionReason}), so the pending migrations cannot run as one group; " +
                "nothing was applied. Migrate without -Group / --group, or up to the version before it first (-Target / --target).",
                outside.Script.DisplayPath, version: outside.Script.Version?.Text);
        return (missingSchemas, tableMissing, baselineFirst, plan);
    }

    private static void CheckBeforeMigrate(List<MigrationEntry> entries, MigrationSettings settings, IReadOnlyList<IgnorePattern> ignore, MigrationRequest request)
    {
        if (settings.ValidateOnMigrate)
        {
            var baseline = entries.LastOrDefault(e => e.Kind == MigrationKind.Baseline)?.Version;
            var problems = Validator.Validate(entries, ignore, pendingAllowed: true, baseline).Where(r => !r.Passed).ToList();
            if (problems.Count > 0)
                throw new SchemaOpsException(ErrorCatalog.ValidationFailed,
                    $"validation failed for {request.Target.Display}, nothing was applied ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  " +
                    string.Join("\n  ", problems.Select(p => p.Detail)), file: problems[0].Script, version: problems[0].Version?.Text);
        }
        else if (entries.FirstOrDefault(e => e.State is MigrationState.Failed or MigrationState.FailedMissing or MigrationState.FailedFuture) is { } failed)
        {
            throw Errors.Refusal(ErrorCatalog.FailedMigrationPresent,
                $"{failed.Label} failed earlier (history row {failed.Applied!.InstalledRank}): fix the database, then run repair before migrating again", failed.VersionText);
        }
    }

    private static MigrationResult Result(PreparedScript p, MigrationOutcome outcome, int elapsed, int? rank, string database, string? error) => new()
    {
        Version = p.Script.Version,
        Description = p.Script.Description,
        Kind = p.Script.Kind,
        Script = p.Script.Script,
        Checksum = p.Script.Checksum,
        Outcome = outcome,
        ExecutionTime = elapsed,
        InTransaction = p.InTransaction,
        InstalledRank = rank,
        Database = database,
        Error = error,
    };
}
