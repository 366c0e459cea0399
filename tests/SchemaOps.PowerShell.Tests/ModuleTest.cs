using System.Collections;
using Npgsql;

namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// A test with a PowerShell session of its own (the module imported, the location a scratch folder) and a
/// database of its own on the run's throwaway server. $db and $migrations (the example project's folder) are set.
/// </summary>
public abstract class ModuleTest : IDisposable
{
    protected ModuleTest(PostgresServer server)
    {
        Server = server;
        Scratch = Directory.CreateTempSubdirectory("schemaops-pwsh-").FullName;
        Db = server.NewDatabase();
        Pwsh = new Pwsh(location: Scratch);
        Set("db", Db);
        Set("migrations", Repo.ParkingMigrations);
    }

    protected PostgresServer Server { get; }
    protected Pwsh Pwsh { get; }
    protected string Db { get; }
    protected string Scratch { get; }

    protected void Set(string name, object? value) => Pwsh.Runspace.SessionStateProxy.SetVariable(name, value);

    protected PwshResult Run(string script, IDictionary? variables = null) => Pwsh.Run(script, variables);

    /// <summary>Writes a file under the scratch folder; returns its full path.</summary>
    protected string Write(string relative, string text)
    {
        var full = Path.Combine(Scratch, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>A value read straight from this test's database, not through the module.</summary>
    protected T Scalar<T>(string sql)
    {
        using var connection = new NpgsqlConnection(Db);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    /// <summary>Successful rows of the Flyway history table, or 0 when it does not exist.</summary>
    protected long AppliedCount() =>
        Scalar<bool>("SELECT to_regclass('flyway_schema_history') IS NOT NULL") ? Scalar<long>("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL") : 0;

    public void Dispose()
    {
        Pwsh.Dispose();
        try { Directory.Delete(Scratch, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
