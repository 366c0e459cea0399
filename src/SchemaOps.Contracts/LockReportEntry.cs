namespace SchemaOps;

/// <summary>
/// One lock in a blocking tree: a session waiting for a lock, or a session holding the lock someone waits
/// for. Depth 0 is a root blocker (blocks others, waits for nobody); its waiters are 1 deeper, and so on.
/// </summary>
public sealed class LockReportEntry
{
    public DateTime TakenAt { get; init; }
    public int Pid { get; init; }
    public int Depth { get; init; }
    /// <summary>True for a held lock, false for one being waited for.</summary>
    public bool Granted { get; init; }
    /// <summary>The sessions this one waits for (pg_blocking_pids); empty for a holder.</summary>
    public int[] BlockedBy { get; init; } = [];
    /// <summary>How many sessions wait for this one, directly.</summary>
    public int Blocking { get; init; }
    public string Mode { get; init; } = "";
    public string LockType { get; init; } = "";
    /// <summary>schema.table for relation and row locks, or what else is locked (transaction 1234, advisory 42, ...).</summary>
    public string Target { get; init; } = "";
    /// <summary>How long it has waited for this lock (null for a held lock).</summary>
    public double? WaitSeconds { get; init; }
    /// <summary>How long its transaction has been open.</summary>
    public double? TransactionSeconds { get; init; }
    public string? User { get; init; }
    public string? Application { get; init; }
    public string? ClientAddress { get; init; }
    public string? State { get; init; }
    public DateTime? QueryStart { get; init; }
    /// <summary>The session's current (or last) statement, truncated unless the full text was asked for.</summary>
    public string? Query { get; init; }
    public string Database { get; init; } = "";

    public override string ToString() => $"{new string(' ', 2 * Depth)}{Pid} {(Granted ? "holds" : "waits for")} {Mode} on {Target}";
}
