using Npgsql;

namespace SchemaOps.Engine.Diagnostics;

/// <summary>
/// Prepared transactions (PREPARE TRANSACTION: two-phase commit, XA transaction managers). One left behind by a
/// crashed application server belongs to no session: it is in no pg_stat_activity row, pg_blocking_pids names it as
/// pid 0, and it keeps its locks (and holds back VACUUM) until someone ends it by its name, so a migration waiting for
/// one of its locks waits forever, and retrying does not help. Named here for health, migrate's lock stop and the lock report.
/// </summary>
internal static class PreparedTransactions
{
    public sealed record Prepared(string Gid, string Owner, double Seconds);

    /// <summary>The prepared transactions of the connection's database, oldest first.</summary>
    public static async Task<List<Prepared>> InDatabaseAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(
            "SELECT gid, owner::text, extract(epoch FROM now() - prepared)::float8 FROM pg_prepared_xacts WHERE database = current_database() ORDER BY prepared", connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        var all = new List<Prepared>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) all.Add(new Prepared(r.GetString(0), r.GetString(1), r.GetDouble(2)));
        return all;
    }

    /// <summary>
    /// SQL: each prepared transaction by the virtual transaction its locks carry in pg_locks (where their pid is null),
    /// to join a lock to the name that ends it.
    /// </summary>
    public const string ByVirtualTransaction =
        "SELECT t.virtualtransaction, p.gid, p.owner::text AS owner, p.prepared FROM pg_catalog.pg_locks t JOIN pg_catalog.pg_prepared_xacts p ON p.transaction = t.transactionid " +
        "WHERE t.locktype = 'transactionid' AND t.pid IS NULL";

    public static string Describe(Prepared p) =>
        $"prepared transaction {Quote(p.Gid)} (owner {p.Owner}, prepared {p.Seconds:0} s ago): no session runs it; it keeps its locks until " +
        $"COMMIT PREPARED {Quote(p.Gid)} or ROLLBACK PREPARED {Quote(p.Gid)} ends it (its transaction manager knows which)";

    private static string Quote(string gid) => "'" + gid.Replace("'", "''") + "'";
}
