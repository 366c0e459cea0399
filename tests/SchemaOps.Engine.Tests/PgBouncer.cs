using System.Diagnostics;
using Npgsql;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Engine.Tests;

/// <summary>
/// A real PgBouncer (the Debian package's binary) in front of a throwaway PostgreSQL, as production often has one:
/// transaction pooling by default, with as many server connections as asked (1: every client shares one).
/// Started and stopped by the test, like the server. `.ci/run` installs the package.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly string _password;

    private PgBouncer(Process process, string folder, int port, string password)
    {
        _process = process;
        _folder = folder;
        Port = port;
        _password = password;
    }

    public int Port { get; }

    /// <summary>Where the Unix socket is (.s.PGSQL.&lt;port&gt;) when started with one.</summary>
    public string SocketDirectory => _folder;

    public static string Binary => new[] { "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("pgbouncer is not installed: apt-get install pgbouncer (.ci/run does)");

    /// <param name="roundRobin">Hand out server connections in turn (server_round_robin) instead of the last used first: a client's
    /// consecutive transactions then land in different server processes, as under load.</param>
    /// <param name="unixSocket">Listen on a Unix socket in <see cref="SocketDirectory"/> too, as a local pooler often does.</param>
    /// <param name="ignoredStartupParameters">What PgBouncer takes at connect and drops (it refuses any other it cannot track):
    /// production's usual extra_float_digits (for JDBC), and search_path, the usual fix for refusing a URL's.</param>
    public static async Task<PgBouncer> StartAsync(EphemeralPostgres server, string poolMode = "transaction", int poolSize = 1, bool roundRobin = false, bool unixSocket = false,
        string ignoredStartupParameters = "extra_float_digits,search_path")
    {
        var folder = Directory.CreateTempSubdirectory("schemaops-pgbouncer-").FullName;
        var port = ServerProcess.FreeLoopbackPort();
        File.WriteAllText(Path.Combine(folder, "userlist.txt"), $"\"{EphemeralPostgres.SuperUser}\" \"{server.Password}\"\n");
        File.WriteAllText(Path.Combine(folder, "pgbouncer.ini"), $"""
            [databases]
            * = host=127.0.0.1 port={server.Port}
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir = {(unixSocket ? folder : "")}
            auth_type = scram-sha-256
            auth_file = {folder}/userlist.txt
            pool_mode = {poolMode}
            default_pool_size = {poolSize}
            min_pool_size = {(roundRobin ? poolSize : 0)}
            server_round_robin = {(roundRobin ? 1 : 0)}
            reserve_pool_size = 0
            max_client_conn = 200
            max_db_connections = {poolSize}
            ignore_startup_parameters = {ignoredStartupParameters}
            server_reset_query =
            logfile = {folder}/pgbouncer.log
            """);
        var psi = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        if (Unix.IsRoot)
        {
            // PgBouncer will not run as root: as the postgres OS user, like the server.
            Unix.ChownTree(folder, Unix.LookupUser(EphemeralPostgres.SuperUser)!.Value);
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(EphemeralPostgres.SuperUser);
        }
        psi.ArgumentList.Add(Path.Combine(folder, "pgbouncer.ini"));
        var process = Process.Start(psi)!;
        var bouncer = new PgBouncer(process, folder, port, server.Password);
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"pgbouncer exited: {await process.StandardError.ReadToEndAsync()}{Log(folder)}");
            try
            {
                await using var c = new NpgsqlConnection(bouncer.ConnectionString("postgres"));
                await c.OpenAsync();
                return bouncer;
            }
            catch (NpgsqlException)
            {
                await Task.Delay(25);
            }
        }
        await bouncer.DisposeAsync();
        throw new InvalidOperationException("pgbouncer did not accept connections" + Log(folder));
    }

    /// <summary>Makes the pool hold <paramref name="connections"/> server connections (clients in a transaction each, at once).</summary>
    public async Task WarmAsync(string database, int connections)
    {
        var clients = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var c = new NpgsqlConnection(ConnectionString(database));
                await c.OpenAsync();
                clients.Add(c);
                await using var begin = new NpgsqlCommand("BEGIN; SELECT 1;", c);
                await begin.ExecuteNonQueryAsync();
            }
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    /// <summary>A connection through the pooler; Npgsql's own pool off, so every runner is a client of PgBouncer's.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = EphemeralPostgres.SuperUser, Password = _password, Database = database, Pooling = false,
    }.ConnectionString;

    private static string Log(string folder) => File.Exists(Path.Combine(folder, "pgbouncer.log")) ? "\n" + File.ReadAllText(Path.Combine(folder, "pgbouncer.log")) : "";


    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
