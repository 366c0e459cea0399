using System.Net.Sockets;
using Npgsql;

namespace SchemaOps.Engine.Connections;

/// <summary>
/// How a first connection is tried again while the server is not there yet (a container starting, a
/// failover, a restart): Flyway's connectRetries and connectRetriesInterval, or `wait`'s deadline.
/// Only failures that can go away by themselves are retried; a wrong password or database fails at once.
/// </summary>
/// <param name="Retries">How many more tries after the first.</param>
/// <param name="FirstPause">The pause before the first retry; each next pause doubles, up to <paramref name="MaxPause"/>.</param>
/// <param name="Deadline">When given, no try starts or lasts past this time from the first.</param>
public sealed record ConnectRetryPolicy(int Retries, TimeSpan FirstPause, TimeSpan MaxPause, TimeSpan? Deadline = null)
{
    /// <summary>Flyway's connectRetriesInterval default: pauses grow to at most 120 s.</summary>
    public static readonly TimeSpan DefaultMaxInterval = TimeSpan.FromSeconds(120);

    /// <summary>One try, Flyway's default (connectRetries = 0).</summary>
    public static readonly ConnectRetryPolicy None = Flyway(null, null);

    /// <summary>Flyway's rule: wait 1 s, doubling after each failure, never more than connectRetriesInterval.</summary>
    public static ConnectRetryPolicy Flyway(int? connectRetries, TimeSpan? connectRetriesInterval) =>
        new(connectRetries ?? 0, TimeSpan.FromSeconds(1), connectRetriesInterval ?? DefaultMaxInterval);

    /// <summary>
    /// Until <paramref name="timeout"/> passes: a server starting in a container accepts connections within a
    /// second or two, so tries start 100 ms apart and are never more than 1 s apart.
    /// </summary>
    public static ConnectRetryPolicy Until(TimeSpan timeout) => new(int.MaxValue, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), timeout);

    /// <summary>The pause before retry <paramref name="retry"/> (1 = the first retry).</summary>
    public TimeSpan PauseBefore(int retry)
    {
        var pause = FirstPause.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(pause, MaxPause.TotalMilliseconds));
    }

    /// <summary>
    /// Whether a failure to connect may go away by itself: nothing listening yet, the server starting up or
    /// shutting down, no free connection slot, a network error or timeout. Npgsql's own refusals (no
    /// password given, a bad certificate setting) carry no network cause and are not retried.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is "57P03" or "57P01" or "57P02" or "53300" or "08006" or "08001",
        NpgsqlException { InnerException: { } cause } => IsNetwork(cause),
        _ => IsNetwork(e),
    };

    private static bool IsNetwork(Exception e) => e is SocketException or IOException or TimeoutException;
}
