using System.Management.Automation;
using Npgsql;

[assembly: AssemblyFixture(typeof(SchemaOps.PowerShell.Tests.PostgresServer))]

namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// One throwaway PostgreSQL for the run, started by the module's own New-EphemeralDatabase; each test takes a
/// database of its own. The test process's own Npgsql (8.x, not the module's 9.x) creates the databases: the
/// module must not care which Npgsql its host has already loaded.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly Pwsh _session = new();
    private readonly PSObject _server;
    private int _next;

    public PostgresServer()
    {
        _server = Assert.Single(_session.Run("New-EphemeralDatabase -Confirm:$false").Succeeded().Output);
    }

    /// <summary>A new empty database; its connection string names the server's passfile, never the password.</summary>
    public string NewDatabase()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _next)}";
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = (string)_server.Properties["Host"].Value, Port = (int)_server.Properties["Port"].Value,
        Username = (string)_server.Properties["User"].Value, Passfile = (string)_server.Properties["Passfile"].Value,
        Database = database, Pooling = false,
    }.ConnectionString;

    public int Port => (int)_server.Properties["Port"].Value;

    /// <summary>Where this process's throwaway servers live (each in a cluster-&lt;pid&gt;-* folder).</summary>
    public string ClustersFolder => Path.GetDirectoryName(Path.GetDirectoryName((string)_server.Properties["DataDirectory"].Value))!;

    /// <summary>The server's passfile (PGPASSFILE), where the password is kept.</summary>
    public string Passfile => (string)_server.Properties["Passfile"].Value;

    /// <summary>A postgres:// URL (DATABASE_URL style) for a database of this server, without the password.</summary>
    public string Url(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}?sslmode=disable";
    }

    public void Dispose()
    {
        _session.Run("Remove-EphemeralDatabase -All -Confirm:$false");
        _session.Dispose();
    }
}
