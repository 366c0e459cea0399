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
        var scripts = request.Scan(sink);
        var ignore = request.IgnorePatterns;
        await using var session = await MigrationSession.OpenAsync(request.Target, settings, ct);
        return await request.GuardAsync("repairing", async () =>
        {
            await using var migrationLock = await MigrationLock.AcquireAsync(session.Connection, session.History.Name, settings.LockWaitTimeout, sink, ct);
            var rows = await session.ReadHistoryAsync(ct);
            if (rows.Count == 0)
            {
                sink.WriteVerbose($"{session.History.Name} has no rows: nothing to repair");
                return [];
            }
            var planned = Plan(StateResolver.Resolve(scripts, rows, request.TargetVersion, settings.OutOfOrder), ignore, request.Target.Database);
            var accepted = planned.Where(c => sink.ShouldProcess($"{session.History.Name} row {c.InstalledRank} ({Labels.Of(c.Version is null ? MigrationKind.Repeatable : MigrationKind.Versioned, c.Version, c.Description)}) in {request.Target.Display}",
                Describe(c))).ToList();
            if (planned.Count == 0) sink.WriteVerbose($"{session.History.Name} matches the migration files: nothing to repair");
            if (accepted.Count == 0) return [];

            await using var tx = await session.Connection.BeginTransactionAsync(ct);
            foreach (var change in accepted) await ApplyAsync(session, change, rows, settings.InstalledBy, ct);
            await tx.CommitAsync(CancellationToken.None);
            foreach (var change in accepted) sink.WriteObject(change);
            return accepted;
        });
    }

    private static List<RepairChange> Plan(List<MigrationEntry> entries, IReadOnlyList<IgnorePattern> ignore, string database)
    {
        var changes = new List<RepairChange>();
        RepairChange Change(MigrationEntry e, RepairAction action, string? before = null, string? after = null) => new()
        {
            Action = action, Version = e.VersionText, Description = e.Description, Script = e.Script,
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
                if (applied.Checksum != local.Checksum) changes.Add(Change(e, RepairAction.AlignedChecksum, applied.Checksum?.ToString() ?? "null", local.Checksum.ToString()));
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

    private static async Task ApplyAsync(MigrationSession session, RepairChange change, IReadOnlyList<AppliedMigration> rows, string? installedBy, CancellationToken ct)
    {
        var table = session.History.Name.Quoted;
        var rank = new NpgsqlParameter { Value = change.InstalledRank };
        switch (change.Action)
        {
            case RepairAction.RemovedFailedRow:
                await ExecuteAsync(session, $"DELETE FROM {table} WHERE installed_rank = $1", ct, rank);
                break;
            case RepairAction.MarkedDeleted:
                var row = rows.Single(r => r.InstalledRank == change.InstalledRank);
                await session.History.InsertAsync(new HistoryRow(row.VersionText, row.Description, HistoryTypes.Delete, row.Script, row.Checksum, installedBy, 0, row.Success), ct);
                break;
            case RepairAction.AlignedChecksum:
                await ExecuteAsync(session, $"UPDATE {table} SET checksum = $2 WHERE installed_rank = $1", ct, rank, new NpgsqlParameter { Value = int.Parse(change.After!) });
                break;
            case RepairAction.AlignedDescription:
                await ExecuteAsync(session, $"UPDATE {table} SET description = $2 WHERE installed_rank = $1", ct, rank, new NpgsqlParameter { Value = change.After! });
                break;
            case RepairAction.AlignedType:
                await ExecuteAsync(session, $"UPDATE {table} SET type = $2 WHERE installed_rank = $1", ct, rank, new NpgsqlParameter { Value = change.After! });
                break;
        }
    }

    private static async Task ExecuteAsync(MigrationSession session, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, session.Connection);
        cmd.Parameters.AddRange(parameters);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
