namespace SchemaOps;

/// <summary>
/// A throwaway PostgreSQL started by New-EphemeralDatabase / `schemaops ephemeral`: where it listens and
/// how to connect. Never its password: the connection string names a private passfile instead.
/// </summary>
public sealed class EphemeralDatabase
{
    /// <summary>Names the server for Remove-EphemeralDatabase (its folder's name).</summary>
    public string Id { get; init; } = "";
    public string Host { get; init; } = "";
    public int Port { get; init; }
    public string Database { get; init; } = "";
    public string User { get; init; } = "";

    /// <summary>An Npgsql connection string that pipes into -ConnectionString; it names <see cref="Passfile"/>, not the password.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>The libpq passfile holding the password, readable by its owner only: set PGPASSFILE to it for psql or pg_dump.</summary>
    public string Passfile { get; init; } = "";

    public string DataDirectory { get; init; } = "";
    public int ProcessId { get; init; }
    public int ServerVersion { get; init; }
    public string BinDirectory { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>From the request to the server accepting connections.</summary>
    public double StartSeconds { get; init; }

    public override string ToString() => $"{User}@{Host}:{Port}/{Database}";
}
