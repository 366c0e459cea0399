using System.Diagnostics;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Engine.Diagnostics;

/// <summary>Wait-Database / `schemaops wait`: tries to connect until the server accepts, or the timeout passes (dbmate's `wait`).</summary>
public static class WaitOperation
{
    /// <summary>dbmate's --wait-timeout default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Ready means a real session: connected, authenticated, the database there, a query answered. A wrong
    /// password or database fails at once (waiting cannot fix it); a server not up yet is waited for.
    /// </summary>
    public static async Task<DatabaseReadiness> WaitAsync(ConnectionTarget target, TimeSpan timeout, IOperationSink sink, CancellationToken ct)
    {
        if (timeout <= TimeSpan.Zero) throw Errors.Parameter(ErrorCatalog.InvalidTimeout, "the wait timeout must be more than zero");
        var clock = Stopwatch.StartNew();
        var (connection, attempts) = await target.OpenAsync(ConnectRetryPolicy.Until(timeout), "waiting for the server", sink, ct).ConfigureAwait(false);
        await using (connection)
        {
            bool inRecovery;
            try
            {
                inRecovery = (bool)(await connection.ScalarAsync("SELECT pg_is_in_recovery()", ct).ConfigureAwait(false))!;
            }
            catch (Exception e)
            {
                throw DatabaseErrors.Translate(e, target, "waiting for the server");
            }
            var readiness = new DatabaseReadiness
            {
                Database = target.Display, ServerVersion = connection.PostgreSqlVersion.ToString(), InRecovery = inRecovery,
                Attempts = attempts, WaitedSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            sink.WriteObject(readiness);
            return readiness;
        }
    }
}
