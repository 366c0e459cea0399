using System.Diagnostics;
using Npgsql;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Engine.Tests;

/// <summary>
/// A real streaming standby of a throwaway PostgreSQL (pg_basebackup -R, then the server in recovery), as an HA pair
/// has one: read-only, and listed in connection URLs beside the primary. Started and stopped by the test.
/// </summary>
public sealed class Standby : IAsyncDisposable
{
    private readonly Process _server;
    private readonly string _folder;
    private readonly string _primary;

    private Standby(Process server, string folder, int port, string primary)
    {
        _server = server;
        _folder = folder;
        Port = port;
        _primary = primary;
    }

    public int Port { get; }

    /// <summary>A connection string to the standby itself.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder(_primary) { Port = Port, Database = database, Pooling = false }.ConnectionString;

    public static async Task<Standby> StartAsync(EphemeralPostgres primary)
    {
        var folder = Directory.CreateTempSubdirectory("schemaops-standby-").FullName;
        var data = Path.Combine(folder, "data");
        var asPostgres = Unix.IsRoot; // PostgreSQL's programs refuse root: as the postgres OS user, like the primary
        if (asPostgres) Unix.ChownTree(folder, Unix.LookupUser(EphemeralPostgres.SuperUser)!.Value);

        var backup = Start(primary.Installation.Tool("pg_basebackup"), asPostgres,
            ["-h", EphemeralPostgres.Host, "-p", primary.Port.ToString(), "-U", EphemeralPostgres.SuperUser, "-D", data, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast"],
            primary.Password);
        await backup.WaitForExitAsync();
        if (backup.ExitCode != 0) throw new InvalidOperationException($"pg_basebackup failed: {await backup.StandardError.ReadToEndAsync()}");

        // A standby must allow at least the primary's connections and prepared transactions.
        string maxConnections, maxPrepared;
        await using (var c = new NpgsqlConnection(primary.ConnectionString()))
        {
            await c.OpenAsync();
            await using var show = new NpgsqlCommand("SHOW max_connections", c);
            maxConnections = (string)(await show.ExecuteScalarAsync())!;
            await using var prepared = new NpgsqlCommand("SHOW max_prepared_transactions", c);
            maxPrepared = (string)(await prepared.ExecuteScalarAsync())!;
        }
        var port = ServerProcess.FreeLoopbackPort();
        var server = Start(primary.Installation.Tool("postgres"), asPostgres,
            ["-D", data, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1", "-c", $"max_connections={maxConnections}", "-c", $"max_prepared_transactions={maxPrepared}", "-k", folder, "-c", "unix_socket_permissions=0700"], null);
        var standby = new Standby(server, folder, port, primary.ConnectionString());
        var connection = standby.ConnectionString();
        for (var i = 0; i < 400; i++)
        {
            if (server.HasExited) throw new InvalidOperationException($"the standby exited: {await server.StandardError.ReadToEndAsync()}");
            try
            {
                await using var c = new NpgsqlConnection(connection);
                await c.OpenAsync();
                await using var recovering = new NpgsqlCommand("SELECT pg_is_in_recovery()", c);
                if ((bool)(await recovering.ExecuteScalarAsync())!) return standby;
            }
            catch (NpgsqlException) { }
            await Task.Delay(25);
        }
        await standby.DisposeAsync();
        throw new InvalidOperationException("the standby did not accept connections in recovery");
    }

    private static Process Start(string file, bool asPostgres, string[] args, string? password)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (asPostgres) psi.UserName = EphemeralPostgres.SuperUser;
        if (password is not null) psi.Environment["PGPASSWORD"] = password; // a test's throwaway server
        return Process.Start(psi)!;
    }


    public async ValueTask DisposeAsync()
    {
        try { _server.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _server.WaitForExitAsync();
        _server.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        // Gone from the primary's pg_stat_replication too, so a later test sees a primary without replicas.
        await using var c = new NpgsqlConnection(_primary);
        await c.OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_replication", c);
            if ((long)(await count.ExecuteScalarAsync())! == 0) return;
            await Task.Delay(50);
        }
    }
}
