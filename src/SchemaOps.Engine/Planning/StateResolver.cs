using SchemaOps.Engine.History;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Planning;

/// <summary>
/// Flyway's state model: joins local scripts with history rows and gives every migration its state.
/// Order: history rows by rank, then unapplied versioned migrations by version, then unapplied repeatables.
/// </summary>
public static class StateResolver
{
    public static List<MigrationEntry> Resolve(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<AppliedMigration> rows,
        MigrationVersion? target, bool outOfOrder)
    {
        var versioned = scripts.Where(s => s.Kind == MigrationKind.Versioned).ToDictionary(s => s.Version!);
        var repeatables = scripts.Where(s => s.Kind == MigrationKind.Repeatable).ToDictionary(s => s.Description, StringComparer.Ordinal);
        var highestLocal = versioned.Keys.DefaultIfEmpty().Max();
        var baseline = rows.LastOrDefault(r => r.Type == HistoryTypes.Baseline)?.Version;

        // The row that follows a versioned row for the same version decides its fate: UNDO_SQL undoes it, DELETE deletes it.
        var next = new Dictionary<int, AppliedMigration>();
        var previousOfVersion = new Dictionary<MigrationVersion, AppliedMigration>();
        foreach (var row in rows.Where(r => r.Version is not null && r.Kind != MigrationKind.Baseline))
        {
            if (previousOfVersion.TryGetValue(row.Version!, out var previous)) next[previous.InstalledRank] = row;
            previousOfVersion[row.Version!] = row;
        }
        var lastRunOfRepeatable = rows.Where(r => r.Kind == MigrationKind.Repeatable).GroupBy(r => r.Description).ToDictionary(g => g.Key, g => g.Last());
        // Undos as (rank the undone migration was applied at, rank of the undo): a repeatable that ran in between
        // may have been built on what the undo removed (a view on a dropped table), so it runs again after the
        // next migrate. Flyway leaves it as it is; then an undo and a re-apply lose the view without a word.
        var undos = next.Where(n => n.Value.Kind == MigrationKind.Undo).Select(n => (Applied: n.Key, Undone: n.Value.InstalledRank)).ToList();
        // A repeatable's DELETE row (from repair) carries no version: it deletes the runs of that description before it.
        var repeatableDeletedAt = rows.Where(r => r.Kind == MigrationKind.Delete && r.VersionText is null)
            .GroupBy(r => r.Description).ToDictionary(g => g.Key, g => g.Max(r => r.InstalledRank));

        var entries = new List<MigrationEntry>();
        var shown = new HashSet<MigrationVersion>();
        MigrationVersion? highestApplied = null;
        foreach (var row in rows)
        {
            if (row.Kind == MigrationKind.Delete) continue; // shown through the row it deletes
            var state = row.Kind switch
            {
                MigrationKind.SchemaCreation => MigrationState.Success,
                MigrationKind.Baseline => MigrationState.Baseline,
                MigrationKind.Undo => MigrationState.Success,
                MigrationKind.Repeatable when repeatableDeletedAt.GetValueOrDefault(row.Description) > row.InstalledRank => MigrationState.Deleted,
                MigrationKind.Repeatable => RepeatableState(row, lastRunOfRepeatable, repeatables, undos),
                _ => VersionedState(row, next.GetValueOrDefault(row.InstalledRank), versioned, highestLocal, highestApplied),
            };
            // A version in effect, or failed (its row stands for the file until repair), is not listed again as pending.
            if (row.Kind == MigrationKind.Versioned && state is MigrationState.Success or MigrationState.OutOfOrder or MigrationState.Failed)
                shown.Add(row.Version!);
            // Only what is in effect counts: an undone or deleted version does not make older pending ones Ignored.
            // A version applied without a local file counts too (Future: applied by a newer release), as in Flyway:
            // a new lower version is then out of order, not simply next.
            var inEffect = row.Kind == MigrationKind.Baseline
                || row.Kind == MigrationKind.Versioned && state is MigrationState.Success or MigrationState.OutOfOrder or MigrationState.Future or MigrationState.Missing;
            if (inEffect && row.Version is not null && (highestApplied is null || row.Version > highestApplied))
                highestApplied = row.Version;
            MigrationScript? local = row.Kind switch
            {
                MigrationKind.Versioned => versioned.GetValueOrDefault(row.Version!),
                MigrationKind.Repeatable => repeatables.GetValueOrDefault(row.Description),
                _ => null,
            };
            entries.Add(new MigrationEntry(local, row, state));
        }

        // Only the versions not shown yet are sorted: with everything applied (the common case), none.
        foreach (var script in versioned.Values.Where(s => !shown.Contains(s.Version!)).OrderBy(s => s.Version))
        {
            var v = script.Version!;
            var state =
                baseline is not null && v < baseline ? MigrationState.BelowBaseline
                : baseline is not null && v == baseline ? MigrationState.IgnoredBaseline
                : target is not null && v > target ? MigrationState.AboveTarget
                : highestApplied is not null && v < highestApplied && !outOfOrder ? MigrationState.Ignored
                : MigrationState.Pending;
            entries.Add(new MigrationEntry(script, null, state));
        }
        foreach (var script in repeatables.Values.OrderBy(s => s.Description, StringComparer.Ordinal))
            if (!lastRunOfRepeatable.ContainsKey(script.Description))
                entries.Add(new MigrationEntry(script, null, MigrationState.Pending));
        return entries;
    }

    private static MigrationState VersionedState(AppliedMigration row, AppliedMigration? next, Dictionary<MigrationVersion, MigrationScript> local,
        MigrationVersion? highestLocal, MigrationVersion? highestAppliedBefore)
    {
        if (next is not null)
            return next.Kind switch
            {
                MigrationKind.Delete => MigrationState.Deleted,
                MigrationKind.Undo => MigrationState.Undone,
                _ => MigrationState.Superseded, // ran again later (e.g. after a repair)
            };
        var hasLocal = local.ContainsKey(row.Version!);
        var isFuture = highestLocal is null || row.Version! > highestLocal;
        if (!row.Success) return hasLocal ? MigrationState.Failed : isFuture ? MigrationState.FailedFuture : MigrationState.FailedMissing;
        if (!hasLocal) return isFuture ? MigrationState.Future : MigrationState.Missing;
        if (highestAppliedBefore is not null && row.Version! < highestAppliedBefore) return MigrationState.OutOfOrder;
        return MigrationState.Success;
    }

    private static MigrationState RepeatableState(AppliedMigration row, Dictionary<string, AppliedMigration> lastRun, Dictionary<string, MigrationScript> local,
        List<(int Applied, int Undone)> undos)
    {
        if (lastRun[row.Description].InstalledRank != row.InstalledRank) return MigrationState.Superseded;
        if (!local.TryGetValue(row.Description, out var script)) return row.Success ? MigrationState.Missing : MigrationState.FailedMissing;
        if (!row.Success) return MigrationState.Failed;
        var undoneUnderIt = undos.Any(u => u.Applied < row.InstalledRank && u.Undone > row.InstalledRank);
        return script.Matches(row.Checksum) && !undoneUnderIt ? MigrationState.Success : MigrationState.Outdated;
    }
}
