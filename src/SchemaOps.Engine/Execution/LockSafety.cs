namespace SchemaOps.Engine.Execution;

/// <summary>
/// How a migration waits for locks on a live database. Each transactional migration runs with a short
/// lock_timeout, so application queries queued behind its lock request wait at most that long; on
/// lock_not_available it is rolled back and retried after a growing pause (GitLab's with_lock_retries idea).
/// Non-transactional scripts (CONCURRENTLY and friends, built not to block others) run without
/// lock_timeout: a timeout there would leave an invalid index behind, not a clean retry. "Without" is said to the
/// server (lock_timeout = 0), since a role or a database often has a lock_timeout of its own.
/// </summary>
public sealed record LockSafety(TimeSpan LockTimeout, int Attempts, TimeSpan? StatementTimeout)
{
    /// <summary>2 s lock_timeout, 10 attempts over about two minutes, no statement_timeout (backfills may be long).</summary>
    public static readonly LockSafety Default = new(TimeSpan.FromSeconds(2), 10, null);

    public bool LimitsLocks => LockTimeout > TimeSpan.Zero;

    /// <summary>The pause before attempt <paramref name="attempt"/> (2, 3, ...): 0.5 s doubling, capped at 30 s.</summary>
    public static TimeSpan PauseBefore(int attempt) => TimeSpan.FromSeconds(Math.Min(30, 0.5 * Math.Pow(2, attempt - 2)));

    /// <summary>
    /// The SET LOCAL commands that open each transactional migration. A lock timeout of zero (wait as long as it takes)
    /// is said too: the role's or the database's own lock_timeout would otherwise apply.
    /// </summary>
    public IEnumerable<string> TransactionSettings()
    {
        yield return $"SET LOCAL lock_timeout = {(LimitsLocks ? Milliseconds(LockTimeout) : 0)}";
        if (StatementTimeoutSetting(local: true) is { } statementTimeout) yield return statementTimeout;
    }

    /// <summary>
    /// What a script run outside a transaction is run with, and what undoes it afterwards (the session's own values
    /// come back): no lock_timeout, whatever the server sets (a timeout in CREATE INDEX CONCURRENTLY's wait for older
    /// transactions leaves an invalid index), and the statement timeout asked for, if any.
    /// </summary>
    public (string[] Set, string[] Reset) OutsideTransactionSettings() => StatementTimeoutSetting(local: false) is { } statementTimeout
        ? (["SET lock_timeout = 0", statementTimeout], ["RESET lock_timeout", "RESET statement_timeout"])
        : (["SET lock_timeout = 0"], ["RESET lock_timeout"]);

    /// <summary>
    /// The SET of the statement timeout asked for, or null when none was (the server's own applies). Zero is PostgreSQL's
    /// "no limit": it lifts a timeout the server sets for the role or the database, which a long backfill needs there.
    /// </summary>
    private string? StatementTimeoutSetting(bool local) => StatementTimeout is { } st
        ? $"SET {(local ? "LOCAL " : "")}statement_timeout = {(long)Math.Ceiling(st.TotalMilliseconds)}"
        : null;

    /// <summary>Whether a statement timeout of this run's own can stop a statement (one of zero cannot).</summary>
    public bool LimitsStatements => StatementTimeout > TimeSpan.Zero;

    private static long Milliseconds(TimeSpan t) => Math.Max(1, (long)Math.Ceiling(t.TotalMilliseconds));

    internal static string Describe(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";
}
