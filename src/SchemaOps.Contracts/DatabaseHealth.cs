namespace SchemaOps;

/// <summary>One health check: what was checked, whether it passed, and what was found.</summary>
public sealed class HealthCheck
{
    public string Name { get; init; } = "";
    public bool Passed { get; init; }
    public string Detail { get; init; } = "";
    public string Database { get; init; } = "";

    public override string ToString() => $"{(Passed ? "ok" : "FAILED")} {Name}: {Detail}";
}

/// <summary>One session on the server, as pg_stat_activity sees it, with the two flags a maintenance window cares about.</summary>
public sealed class SessionActivity
{
    public int Pid { get; init; }
    public string? Database { get; init; }
    public string? User { get; init; }
    public string? Application { get; init; }
    public string? ClientAddress { get; init; }
    public string? State { get; init; }
    public string? WaitEvent { get; init; }
    public double? TransactionSeconds { get; init; }
    public double? QuerySeconds { get; init; }
    /// <summary>Active for longer than the long-running threshold.</summary>
    public bool LongRunning { get; init; }
    /// <summary>Idle inside an open transaction: holding its locks and snapshot while doing nothing.</summary>
    public bool IdleInTransaction { get; init; }
    public string? Query { get; init; }
}

/// <summary>The server's connections against max_connections, and how many sessions are in each state.</summary>
public sealed class ActivitySummary
{
    public string Server { get; init; } = "";
    public int Connections { get; init; }
    public int MaxConnections { get; init; }
    /// <summary>Slots kept for superusers (superuser_reserved_connections): others get max minus these.</summary>
    public int ReservedConnections { get; init; }
    public double UsedPercent { get; init; }
    public int Active { get; init; }
    public int Idle { get; init; }
    public int IdleInTransaction { get; init; }
    public int LongRunning { get; init; }
    public int WaitingForLocks { get; init; }
}

/// <summary>Wait-Database / `schemaops wait`: the server accepted a connection, after how many tries and how long.</summary>
public sealed class DatabaseReadiness
{
    /// <summary>user@host:port/database, never the password.</summary>
    public string Database { get; init; } = "";
    public string ServerVersion { get; init; } = "";
    /// <summary>A standby in recovery: it accepts connections and reads, not migrations.</summary>
    public bool InRecovery { get; init; }
    public int Attempts { get; init; }
    public double WaitedSeconds { get; init; }

    public override string ToString() => $"{Database} ready after {WaitedSeconds:0.##} s ({Attempts} tries)";
}
