using System.Globalization;
using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Engine.Diagnostics;

public sealed record HealthOptions
{
    /// <summary>Connections in use, as a share of max_connections, above which the check fails.</summary>
    public double MaxConnectionUsePercent { get; init; } = 80;
    /// <summary>A transaction open longer than this fails the check (it holds locks and stops vacuum).</summary>
    public TimeSpan LongTransaction { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxReplicationLag { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Test-DatabaseHealth: one HealthCheck per question a maintenance window asks before and after a migration:
/// can we connect (and to which version), are connections close to max, is a transaction open too long,
/// did a CONCURRENTLY build leave an invalid index, does the history hold a failed migration, will commits wait
/// for a synchronous standby that is not there, do replicas lag. A failed connection is one failed check, not an
/// exception: a Pester suite asserts on it.
/// </summary>
public static class HealthOperation
{
    public static async Task<IReadOnlyList<HealthCheck>> CheckAsync(MigrationRequest request, HealthOptions options, IOperationSink sink, CancellationToken ct)
    {
        var checks = new List<HealthCheck>();
        void Add(string name, bool passed, string detail)
        {
            var check = new HealthCheck { Name = name, Passed = passed, Detail = detail, Database = request.Target.Display };
            checks.Add(check);
            sink.WriteObject(check);
        }

        MigrationSession session;
        try
        {
            session = await SnapshotOperation.OpenAsync(request, sink, ct).ConfigureAwait(false);
        }
        catch (SchemaOpsException e) when (e.Category is SchemaOpsErrorCategory.ConnectionError or SchemaOpsErrorCategory.AuthenticationError or SchemaOpsErrorCategory.OperationTimeout)
        {
            Add("Connectivity", false, e.Message);
            return checks;
        }
        await using (session)
        {
            var c = session.Connection;
            Add("Connectivity", true, $"PostgreSQL {await c.ScalarAsync("SHOW server_version", ct).ConfigureAwait(false)}{((bool)(await c.ScalarAsync("SELECT pg_is_in_recovery()", ct).ConfigureAwait(false))! ? " (standby)" : "")}");

            var sessions = await ActivityOperation.ReadAsync(c, options.LongTransaction, 80, ct).ConfigureAwait(false);
            var max = int.Parse((string)(await c.ScalarAsync("SHOW max_connections", ct).ConfigureAwait(false))!, CultureInfo.InvariantCulture);
            var used = 100.0 * (sessions.Count + 1) / max;
            Add("Connections", used <= options.MaxConnectionUsePercent, $"{sessions.Count + 1} of {max} connections in use ({used:0.#}%; limit {options.MaxConnectionUsePercent:0.#}%)");

            var longOnes = sessions.Where(s => s.TransactionSeconds > options.LongTransaction.TotalSeconds).OrderByDescending(s => s.TransactionSeconds).ToList();
            Add("LongTransactions", longOnes.Count == 0, longOnes.Count == 0
                ? $"no transaction open longer than {options.LongTransaction.TotalSeconds:0} s"
                : string.Join("; ", longOnes.Take(5).Select(s => $"pid {s.Pid} ({s.User}/{s.Application}, {s.State}) open {s.TransactionSeconds:0} s")));

            var prepared = await PreparedTransactions.InDatabaseAsync(c, ct).ConfigureAwait(false);
            var stale = prepared.Where(p => p.Seconds > options.LongTransaction.TotalSeconds).ToList();
            Add("PreparedTransactions", stale.Count == 0, stale.Count > 0 ? string.Join("; ", stale.Take(5).Select(PreparedTransactions.Describe))
                : prepared.Count == 0 ? "no prepared transaction" : $"{prepared.Count} prepared transaction(s), none older than {options.LongTransaction.TotalSeconds:0} s");

            var invalid = await Execution.InvalidIndexes.InDatabaseAsync(c, ct).ConfigureAwait(false);
            Add("InvalidIndexes", invalid.Count == 0, invalid.Count == 0 ? "every index is valid"
                : $"invalid (a failed CREATE INDEX CONCURRENTLY?): {string.Join(", ", invalid.Select(i => $"{i.Index} on {i.Table}"))}; " +
                  $"{Execution.InvalidIndexes.DropAdvice(invalid.Select(i => i.Index).ToList())} and build {(invalid.Count == 1 ? "it" : "them")} again");

            var failed = await session.History.ExistsAsync(ct).ConfigureAwait(false)
                ? StateResolver.Resolve([], await session.ReadHistoryAsync(ct).ConfigureAwait(false), null, outOfOrder: true)
                    .Where(e => e.State is MigrationState.Failed or MigrationState.FailedMissing or MigrationState.FailedFuture).Select(e => e.Label).ToList()
                : [];
            Add("FailedMigrations", failed.Count == 0, failed.Count == 0 ? $"no failed migration in {session.History.Name}" : $"failed in {session.History.Name}: {string.Join(", ", failed)}; fix by hand, then repair");

            var synchronous = await SynchronousReplication.ReadAsync(c, ct).ConfigureAwait(false);
            Add("SynchronousReplication", !synchronous.Stalls, synchronous.Detail);

            var lags = await ReplicationLagAsync(c, ct).ConfigureAwait(false);
            var worst = lags.Count == 0 ? (double?)null : lags.Max(l => l.Seconds);
            Add("ReplicationLag", worst is null || worst <= options.MaxReplicationLag.TotalSeconds, worst is null
                ? "no replicas"
                : string.Join("; ", lags.Select(l => $"{l.Name}: {l.Seconds:0.#} s")) + $" (limit {options.MaxReplicationLag.TotalSeconds:0} s)");
        }
        return checks;
    }

    /// <summary>
    /// On a primary, each replica's replay lag; on a standby, its own lag behind the primary: none when it has replayed
    /// all it received (the time since the last replayed commit grows while the primary has nothing to commit, a
    /// maintenance window's quiet, and would read as lag), else the time since the last replayed commit.
    /// </summary>
    private static async Task<List<(string Name, double Seconds)>> ReplicationLagAsync(NpgsqlConnection c, CancellationToken ct)
    {
        const string Sql = """
            SELECT coalesce(application_name, client_addr::text, 'replica'), coalesce(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication
            UNION ALL
            SELECT 'this standby', CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                                        ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END
            WHERE pg_is_in_recovery()
            """;
        var lags = new List<(string, double)>();
        var cmd = new NpgsqlCommand(Sql, c);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) lags.Add((r.GetString(0), (double)r.GetDecimal(1)));
        return lags;
    }
}
