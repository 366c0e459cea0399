using Npgsql;

namespace SchemaOps.Engine.Diagnostics;

/// <summary>
/// Whether a COMMIT here waits for a synchronous standby that is not there: synchronous_standby_names names standbys,
/// synchronous_commit (as this session has it) makes commits wait for them, and none streams in sync. Every commit then
/// waits until one comes back: a migration seems to hang at its first COMMIT, and Ctrl+C cannot take back what the
/// primary has already committed. Said before the window (health) and before a migration's first commit.
/// </summary>
internal static class SynchronousReplication
{
    /// <param name="Stalls">Commits wait with no synchronous standby streaming.</param>
    /// <param name="Detail">What the server says, in a sentence.</param>
    public sealed record State(bool Stalls, string Detail);

    public static async Task<State> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // A role without pg_read_all_stats sees the standbys' rows but not their state: that is "cannot tell", not "none".
        const string Sql = """
            SELECT current_setting('synchronous_standby_names'), current_setting('synchronous_commit'), pg_is_in_recovery(),
                   (SELECT string_agg(application_name, ', ' ORDER BY application_name) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')),
                   (SELECT count(*) FROM pg_stat_replication WHERE sync_state IS NULL)
            """;
        var cmd = new NpgsqlCommand(Sql, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        var (names, commit, standby) = (r.GetString(0), r.GetString(1), r.GetBoolean(2));
        var inSync = r.IsDBNull(3) ? null : r.GetString(3);
        var hidden = r.GetInt64(4);

        if (standby) return new(false, "a standby: commits are the primary's");
        if (names.Length == 0) return new(false, "commits wait for no standby (synchronous_standby_names is empty)");
        if (commit is "off" or "local") return new(false, $"commits wait for no standby (synchronous_commit = {commit})");
        if (inSync is not null) return new(false, $"commits wait for synchronous standby {inSync}, streaming");
        if (hidden > 0) return new(false, $"commits wait for a standby named by synchronous_standby_names = '{names}'; this role cannot see whether one is in sync (pg_read_all_stats)");
        return new(true, $"every COMMIT waits for a synchronous standby (synchronous_standby_names = '{names}', synchronous_commit = {commit}) and none is streaming: " +
                         "commits hang until one is back, or the setting is cleared");
    }
}
