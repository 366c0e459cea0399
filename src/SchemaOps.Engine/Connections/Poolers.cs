using Npgsql;

namespace SchemaOps.Engine.Connections;

/// <summary>Connection poolers (PgBouncer and the like), as a client can tell them.</summary>
internal static class Poolers
{
    /// <summary>
    /// Whether the connection goes through a pooler: the server process id it reported at startup is not
    /// <paramref name="backendPid"/>, the one running its statements (a pooler makes one up for its clients).
    /// </summary>
    public static bool MadeUpProcessId(NpgsqlConnection connection, int backendPid) => connection.ProcessID != backendPid;

    /// <summary>
    /// pg_dump and pg_restore set session settings their work depends on (search_path, DateStyle, check_function_bodies,
    /// row_security). A transaction pooler keeps each for the one statement that made it, then hands it with the server
    /// process to its next clients: a restore through PgBouncer left search_path empty for the application. So they get
    /// a direct connection or nothing; <paramref name="work"/> says what was asked ("a backup runs pg_dump").
    /// </summary>
    public static async Task RefuseForPgToolsAsync(NpgsqlConnection connection, ConnectionTarget target, string work, CancellationToken ct)
    {
        if (MadeUpProcessId(connection, await connection.BackendPidAsync(ct).ConfigureAwait(false)))
            throw new SchemaOpsException(ErrorCatalog.DirectConnectionRequired,
                $"{target.Display} is reached through a connection pooler (PgBouncer or the like), and {work}, which sets session settings its work " +
                "depends on (search_path, DateStyle, check_function_bodies, row_security): a transaction pooler keeps each for one statement, then " +
                "hands it with the server process to its next clients, the application among them. Nothing was changed. Connect to the server " +
                "itself (its own host and port) for backups and restores.");
    }
}
