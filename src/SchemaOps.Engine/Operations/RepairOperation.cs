using Npgsql;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// Repair with Flyway 7+ semantics, in one transaction under the migration lock: remove failed rows, mark
/// applied migrations whose scripts are gone with a DELETE row, and realign the checksum, description and
/// type of applied versioned migrations with their files. Each change is asked about (ShouldProcess) and
/// reported as one object.
/// </summary>
public static class RepairOperation
{
    public static async Task<IReadOnlyList<RepairChange>> RepairAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var settings = request.Settings;
        var ignore = request.IgnorePatterns;
        var session = await request.OpenWithScriptsAsync(sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        return await request.GuardAsync("repairing", async () =>
        {
            var migrationLock = await MigrationLock.AcquireAsync(session, settings.LockWaitTimeout, sink, ct).ConfigureAwait(false);
            await using var migrationLockScope = migrationLock.ConfigureAwait(false);
            var rows = await session.ReadHistoryToChangeAsync(ct).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                sink.WriteVerbose($"{session.History.Name} has no rows: nothing to repair");
                return [];
            }
            var planned = Plan(StateResolver.Resolve(session.Scripts, rows, request.TargetVersion, session.OutOfOrder), ignore, request.Target.Database);
            var accepted = planned.Where(c => sink.ShouldProcess($"{session.History.Name} row {c.InstalledRank} ({Labels.Of(c.Version is null ? MigrationKind.Repeatable : MigrationKind.Versioned, c.Version?.Text, c.Description)}) in {request.Target.Display}",
                Describe(c))).ToList();
            if (planned.Count == 0) sink.WriteVerbose($"{session.History.Name} matches the migration files: nothing to repair");
            if (accepted.Count == 0) return [];
            ProductionGuard.DemandConfirmation(request, "repair");

            return await OperationCallbacks.For(session, "Repair").AroundAsync(session, request, sink, async () =>
            {
                var tx = await session.Connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using var txScope = tx.ConfigureAwait(false);
                try
                {
                    // Behind a pooler no session lock keeps another runner out: the history guard does, as for migrations.
                    await session.Guard.LockAndCheckAsync(session.Connection, "the repair", ct).ConfigureAwait(false);
                }
                catch (HistoryChangedException)
                {
                    throw Errors.Refusal(ErrorCatalog.HistoryChangedUnderneath,
                        $"another runner changed the history of {request.Target.Display} after this repair read it; nothing was changed. Run the repair again.");
                }
                foreach (var change in accepted) await session.History.RepairAsync(change, rows, settings.InstalledBy, ct).ConfigureAwait(false);
                await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                foreach (var change in accepted) sink.WriteObject(change);
                if (accepted.Any(c => c.Action == RepairAction.RemovedFailedRow)) await WarnOfInvalidIndexesAsync(session, sink, ct).ConfigureAwait(false);
                return (IReadOnlyList<RepairChange>)accepted;
            }, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// A failed migration that built an index concurrently left it INVALID: the re-run that repair is the step before
    /// stops at it (InvalidIndexInTheWay), so say so now, with the way to clear it.
    /// </summary>
    private static async Task WarnOfInvalidIndexesAsync(MigrationSession session, IOperationSink sink, CancellationToken ct)
    {
        var invalid = await InvalidIndexes.InDatabaseAsync(session.Connection, ct).ConfigureAwait(false);
        if (invalid.Count > 0)
            sink.WriteWarning($"the database holds INVALID index{(invalid.Count == 1 ? "" : "es")} {string.Join(", ", invalid.Select(i => $"{i.Index} on {i.Table}"))}, " +
                              $"as a failed CREATE INDEX CONCURRENTLY leaves: {InvalidIndexes.DropAdvice(invalid.Select(i => i.Index).ToList())} before migrating again");
    }

    private static List<RepairChange> Plan(List<MigrationEntry> entries, IReadOnlyList<IgnorePattern> ignore, string database)
    {
        var changes = new List<RepairChange>();
        RepairChange Change(MigrationEntry e, RepairAction action, string? before = null, string? after = null) => new()
        {
            Action = action, Version = e.ShownVersion, Description = e.Description, Script = e.Script,
            InstalledRank = e.Applied!.InstalledRank, Before = before, After = after, Database = database,
        };

        foreach (var e in entries.Where(e => e.Applied is not null))
        {
            if (e.State is MigrationState.Failed or MigrationState.FailedMissing or MigrationState.FailedFuture)
                changes.Add(Change(e, RepairAction.RemovedFailedRow));
            else if (e.State is MigrationState.Missing or MigrationState.Future && e.Kind is MigrationKind.Versioned or MigrationKind.Repeatable
                     && !ignore.Any(p => p.Matches(e.Kind, e.State == MigrationState.Missing ? "missing" : "future")))
                changes.Add(Change(e, RepairAction.MarkedDeleted));
            else if (e.State is MigrationState.Success or MigrationState.OutOfOrder && e.Kind == MigrationKind.Versioned && e.Local is { } local)
            {
                var applied = e.Applied!;
                if (applied.ChecksumKnown && applied.Checksum != local.Checksum) changes.Add(Change(e, RepairAction.AlignedChecksum, applied.Checksum?.ToString() ?? "null", local.Checksum.ToString()));
                if (applied.Description != local.Description) changes.Add(Change(e, RepairAction.AlignedDescription, applied.Description, local.Description));
                if (applied.Type != HistoryTypes.Sql) changes.Add(Change(e, RepairAction.AlignedType, applied.Type, HistoryTypes.Sql));
            }
        }
        return changes;
    }

    private static string Describe(RepairChange c) => c.Action switch
    {
        RepairAction.RemovedFailedRow => "Remove failed history row",
        RepairAction.MarkedDeleted => "Mark as deleted (its script is gone)",
        _ => $"Set {c.Action.ToString()["Aligned".Length..].ToLowerInvariant()} from {c.Before} to {c.After}",
    };
}
