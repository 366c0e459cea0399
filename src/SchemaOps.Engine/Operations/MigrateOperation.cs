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
        await using var session = await request.OpenWithScriptsAsync(sink, ct);
        return await request.GuardAsync("migrating", async () =>
        {
            await using var migrationLock = await MigrationLock.AcquireAsync(session.Connection, session.History, settings.LockWaitTimeout, sink, ct);

            var (missingSchemas, tableMissing, baselineFirst, plan) = await PlanAsync(session, request, ct);
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
                var yes = sink.ShouldProcess($"{p.Script.Label} in {where}", p.InTransaction ? "Apply migration" : $"Apply migration without a transaction ({p.NoTransactionReason})");
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

            if (setupNeeded)
            {
                await using var tx = await session.Connection.BeginTransactionAsync(ct);
                await HistorySetup.CreateMissingAsync(session, settings, (missingSchemas, tableMissing), ct);
                if (baselineFirst)
                    await session.History.RecordAsync(HistoryRow.Baseline(request.BaselineVersion.Text, settings.BaselineDescription, settings.InstalledBy), ct);
                await tx.CommitAsync(CancellationToken.None);
            }

            if (accepted == 0 && !callbacksOnly) return [];
            await using var watch = accepted > 0 ? await LockWatch.StartAsync(request.Target, session.Connection.ProcessID, safety, ct) : null;
            var executor = new ScriptExecutor(session.Connection, session.History, settings.InstalledBy, safety, sink)
                { Watch = watch, BeforeEach = callbacks.BeforeEach, AfterEach = callbacks.AfterEach };
            return await callbacks.AroundAsync(executor, sink, () => accepted == 0 ? Task.FromResult<IReadOnlyList<MigrationResult>>([])
                : settings.Group ? ApplyGroupAsync(executor, plan.Take(accepted).ToList(), request, sink, ct)
                : ApplyEachAsync(executor, plan.Take(accepted).ToList(), request, sink, ct), ct);
        });
    }

    /// <summary>Each migration in its own transaction (or none), in order; stops at the first failure.</summary>
    private static async Task<IReadOnlyList<MigrationResult>> ApplyEachAsync(ScriptExecutor executor, List<PreparedScript> plan, MigrationRequest request,
        IOperationSink sink, CancellationToken ct)
    {
        var accepted = plan.Count;
        var results = new List<MigrationResult>();
        for (var i = 0; i < accepted; i++)
        {
            var p = plan[i];
            sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {request.Target.Database}", $"{p.Script.Label} ({i + 1}/{accepted})", 100 * i / accepted));
            sink.WriteVerbose($"applying {p.Script.DisplayPath} ({(p.InTransaction ? "in a transaction" : "without a transaction: " + p.NoTransactionReason)})");
            try
            {
                var (rank, elapsed) = await executor.ApplyAsync(p, ct);
                var result = Result(p, MigrationOutcome.Applied, elapsed, rank, request.Target.Database, null);
                results.Add(result);
                sink.WriteObject(result);
            }
            catch (Exception e)
            {
                var error = e as SchemaOpsException ?? Connections.DatabaseErrors.Translate(e, request.Target, $"applying {p.Script.DisplayPath}");
                sink.WriteObject(Result(p, MigrationOutcome.Failed, 0, null, request.Target.Database, error.Message));
                sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {request.Target.Database}", "failed", 100, Completed: true));
                throw error;
            }
        }
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {request.Target.Database}", "done", 100, Completed: true));
        return results;
    }

    /// <summary>All the accepted migrations in one transaction; results are emitted once it has committed.</summary>
    private static async Task<IReadOnlyList<MigrationResult>> ApplyGroupAsync(ScriptExecutor executor, List<PreparedScript> group, MigrationRequest request,
        IOperationSink sink, CancellationToken ct)
    {
        var database = request.Target.Database;
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Migrating {database}", $"{group.Count} migrations in one transaction", 0));
        sink.WriteVerbose($"applying {group.Count} migration(s) in one transaction: all or none");
        try
        {
            var applied = await executor.ApplyGroupAsync(group, ct);
            var results = group.Select((p, i) => Result(p, MigrationOutcome.Applied, applied[i].ElapsedMs, applied[i].Rank, database, null)).ToList();
            foreach (var r in results) sink.WriteObject(r);
            return results;
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
        await using var session = await request.OpenWithScriptsAsync(sink, ct);
        return await request.GuardAsync("planning", async () =>
        {
            var (missingSchemas, tableMissing, baselineFirst, plan) = await PlanAsync(session, request, ct);
            var callbacks = OperationCallbacks.For(session, "Migrate");
            var script = new DryRunScript(session.History, settings.InstalledBy, safety) { BeforeEach = callbacks.BeforeEach, AfterEach = callbacks.AfterEach };
            // With -Schema the session put that schema first on the search path; the script does the same.
            var searchPath = settings.Schemas.Count > 0 ? (string?)await session.Connection.ScalarAsync("SHOW search_path", ct) : null;
            script.Header(request.Target.Display, plan.Count, searchPath);
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
        });
    }

    /// <summary>What migrate would do, read-only: what to create, whether to baseline first, and the scripts to run in order.</summary>
    private static async Task<(List<string> MissingSchemas, bool TableMissing, bool BaselineFirst, List<PreparedScript> Plan)> PlanAsync(
        MigrationSession session, MigrationRequest request, CancellationToken ct)
    {
        var settings = request.Settings;
        var (missingSchemas, tableMissing) = await HistorySetup.InspectAsync(session, settings, ct);
        var rows = await session.ReadHistoryAsync(ct);
        // Flyway's rule: a non-empty schema without history needs a baseline first. dbmate and golang-migrate
        // have no baseline and simply start applying, so their layouts keep their behaviour.
        var baselineFirst = session.Layout == MigrationLayout.Flyway && tableMissing && !missingSchemas.Contains(session.Schemas[0])
            && await session.SchemaHasObjectsAsync(session.Schemas[0], ct);
        if (baselineFirst && !settings.BaselineOnMigrate)
            throw Errors.InvalidOperation("NonEmptySchemaWithoutHistory",
                $"schema \"{session.Schemas[0]}\" in {request.Target.Display} already holds objects but has no history table {session.History.Name}: " +
                "run baseline (Set-MigrationBaseline / schemaops baseline) to start from its current state, or pass -BaselineOnMigrate / --baseline-on-migrate");
        if (baselineFirst) rows = [MigrationRequest.SyntheticBaseline(request.BaselineVersion, settings.BaselineDescription)];

        var entries = StateResolver.Resolve(session.Scripts, rows, request.TargetVersion, settings.OutOfOrder);
        CheckBeforeMigrate(entries, settings, request.IgnorePatterns, request);
        var plan = entries.Where(e => e.State == MigrationState.Pending && e.Kind == MigrationKind.Versioned).OrderBy(e => e.Version)
            .Concat(entries.Where(e => !settings.VersionedOnly && e.Kind == MigrationKind.Repeatable && e.Local is not null && e.State is MigrationState.Pending or MigrationState.Outdated)
                           .OrderBy(e => e.Description, StringComparer.Ordinal))
            .Select(e => PreparedScript.Prepare(e.Local!, session.ServerVersionNum))
            .ToList();
        if (settings.Group && plan.FirstOrDefault(p => !p.InTransaction) is { } outside)
            throw new SchemaOpsException("GroupNeedsTransactions", SchemaOpsErrorCategory.InvalidData,
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
                throw new SchemaOpsException("ValidationFailed", SchemaOpsErrorCategory.InvalidData,
                    $"validation failed for {request.Target.Display}, nothing was applied ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  " +
                    string.Join("\n  ", problems.Select(p => p.Detail)), file: problems[0].Script, version: problems[0].Version?.Text);
        }
        else if (entries.FirstOrDefault(e => e.State is MigrationState.Failed or MigrationState.FailedMissing or MigrationState.FailedFuture) is { } failed)
        {
            throw Errors.InvalidOperation("FailedMigrationPresent",
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
