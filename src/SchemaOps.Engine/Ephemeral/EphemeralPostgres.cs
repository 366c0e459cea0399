using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace SchemaOps.Engine.Ephemeral;

/// <param name="BinDirectory">PostgreSQL's bin folder; found when null (<see cref="PostgresInstallation.Find"/>).</param>
/// <param name="BaseDirectory">Where the cluster's folder goes; <see cref="EphemeralStorage.Choose"/> when null.</param>
/// <param name="ExpectedDataBytes">About how much data will be loaded (e.g. a backup's size), so a big restore is not put in memory.</param>
public sealed record EphemeralOptions(string? BinDirectory = null, string? BaseDirectory = null, long ExpectedDataBytes = 0);

/// <summary>
/// A throwaway PostgreSQL server: a copy of a cached initdb template, a free port on 127.0.0.1, its own
/// unix socket folder (the cluster's, owner-only), fsync off. Connection strings name a private passfile
/// instead of holding the generated password, so printing one reveals nothing. When run as root the server runs as the `postgres` OS user (PostgreSQL refuses root).
/// Disposing stops it and deletes its folder; process exit does the same; clusters left by a killed
/// process are removed the next time any cluster starts.
/// </summary>
public sealed class EphemeralPostgres : IAsyncDisposable
{
    public const string SuperUser = "postgres";
    public const string Host = "127.0.0.1";
    // Room for a test suite's parallel databases and for realistic session counts (the lock-report benchmark opens 200).
    private const int MaxConnections = 300;
    // Two-phase commit on (production's default of 0 refuses PREPARE TRANSACTION): an application's test suite that uses
    // XA can run against a throwaway server, and an orphaned prepared transaction, a migration-day blocker, can be shown.
    private const int MaxPreparedTransactions = 20;
    private static readonly ConcurrentDictionary<string, EphemeralPostgres> Live = new();

    private readonly Process _server;
    private readonly string _password;
    private readonly BoundedLog _log;
    private int _disposed;

    static EphemeralPostgres()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var cluster in Live.Values) cluster.StopAndDelete();
        };
    }

    private EphemeralPostgres(PostgresInstallation installation, string directory, int port, string password, Process server, BoundedLog log)
    {
        Installation = installation;
        Directory = directory;
        MajorVersion = int.TryParse(File.ReadAllText(Path.Combine(directory, "data", "PG_VERSION")).Trim(), out var major) ? major : 0;
        Port = port;
        _password = password;
        _server = server;
        _log = log;
    }

    public PostgresInstallation Installation { get; }

    /// <summary>The cluster's folder (its data folder is "data" inside); its name is the cluster's <see cref="Id"/>.</summary>
    public string Directory { get; }

    public string Id => Path.GetFileName(Directory);
    public int Port { get; }

    /// <summary>The server's major version, read from its data folder (no process started to ask).</summary>
    public int MajorVersion { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.Now;

    /// <summary>From the call to StartAsync to the server accepting connections.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>
    /// An Npgsql connection string for a database of this cluster: the password stays in the cluster's private passfile,
    /// and TLS is off as the server's is, whatever the caller's PGSSLMODE says for their own servers.
    /// </summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = SuperUser, Passfile = PassfilePath, Database = database, ApplicationName = "schemaops", SslMode = SslMode.Disable }.ConnectionString;

    /// <summary>The owner-only passfile (libpq format) holding the generated password; pg_dump and psql read it as PGPASSFILE.</summary>
    public string PassfilePath => Path.Combine(Directory, "pgpass");

    /// <summary>The postmaster's process id.</summary>
    public int ProcessId => _server.Id;

    /// <summary>The same as a postgres:// URL (the dbmate / libpq form).</summary>
    public string Url(string database = "postgres") => $"postgres://{SuperUser}:{Uri.EscapeDataString(_password)}@{Host}:{Port}/{database}?sslmode=disable";

    public string Password => _password;

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken ct = default)
    {
        name ??= "db_" + Guid.NewGuid().ToString("N")[..16];
        var conn = Connections.ConnectionTarget.Parse(ConnectionString()).CreateConnection(); // no type loading, as every SchemaOps connection
        await using var connScope = conn.ConfigureAwait(false);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", conn);
        await using var cmdScope = cmd.ConfigureAwait(false);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return name;
    }

    public static async Task<EphemeralPostgres> StartAsync(EphemeralOptions? options = null, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        options ??= new EphemeralOptions();
        var installation = PostgresInstallation.Find(options.BinDirectory);
        var runAs = ServerProcess.ServerUser();
        var baseDir = options.BaseDirectory ?? EphemeralStorage.Choose(options.ExpectedDataBytes);
        ClusterFolder.PrepareBase(baseDir);
        StaleClusters.Remove(baseDir);

        var (templateData, password) = await ClusterTemplate.EnsureAsync(installation, baseDir, runAs, ct).ConfigureAwait(false);
        var directory = Path.Combine(baseDir, $"cluster-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        var data = Path.Combine(directory, "data");
        ClusterFolder.LayOut(templateData, directory, password, runAs);

        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreeLoopbackPort();
            var log = new BoundedLog();
            var server = ServerProcess.Start(installation.Tool("postgres"), ["-D", data, "-p", port.ToString(), "-c", $"max_connections={MaxConnections}",
                    "-c", $"max_prepared_transactions={MaxPreparedTransactions}", .. ServerProcess.SocketArguments(directory)],
                directory, runAs is not null, log);
            var cluster = new EphemeralPostgres(installation, directory, port, password, server, log);
            Live.TryAdd(cluster.Id, cluster);
            try
            {
                await cluster.WaitUntilReadyAsync(ct).ConfigureAwait(false);
                cluster.StartDuration = watch.Elapsed;
                return cluster;
            }
            catch (SchemaOpsException) when (attempt < 3 && log.Text.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took the port between our probe and the bind: try another, in a fresh copy
                // (disposing the failed cluster removed its folder).
                await cluster.DisposeAsync().ConfigureAwait(false);
                ClusterFolder.LayOut(templateData, directory, password, runAs);
            }
            catch
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Stops the server (SIGQUIT: PostgreSQL's immediate shutdown, nothing to flush) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginStop()) return;
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _server.WaitForExitAsync(patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        catch (InvalidOperationException) { /* already gone */ }
        Finish();
    }

    /// <summary>The same at process exit, where nothing can be awaited.</summary>
    private void StopAndDelete()
    {
        if (!BeginStop()) return;
        try
        {
            if (!_server.WaitForExit(10_000)) Kill();
        }
        catch (InvalidOperationException) { /* already gone */ }
        Finish();
    }

    /// <summary>Claims the stop (once, whoever comes first) and signals the server.</summary>
    private bool BeginStop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return false;
        Live.TryRemove(Id, out _);
        try
        {
            if (!_server.HasExited && (OperatingSystem.IsWindows() || !Unix.Signal(_server.Id, Unix.SIGQUIT))) Kill();
        }
        catch (InvalidOperationException) { /* already gone */ }
        return true;
    }

    private void Kill()
    {
        try { _server.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    private void Finish()
    {
        _server.Dispose();
        ClusterFolder.DeleteQuietly(Directory);
    }

    /// <summary>
    /// Waits for the server to say it is ready: the status line PostgreSQL writes into postmaster.pid once
    /// it accepts connections (what pg_ctl start -w waits for). No connection is made, so no backend start
    /// and authentication are paid for here: the caller's first connection pays them anyway.
    /// </summary>
    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var pidFile = Path.Combine(Directory, "data", "postmaster.pid");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_server.HasExited)
                throw new SchemaOpsException(ErrorCatalog.EphemeralStartFailed,
                    $"the throwaway PostgreSQL server ({Installation.BinDirectory}) exited with code {_server.ExitCode} while starting:\n{_log.Text}");
            if (ReadsReady(pidFile)) return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new SchemaOpsException(ErrorCatalog.EphemeralStartFailed,
                    $"the throwaway PostgreSQL server did not accept connections within 60 s:\n{_log.Text}");
            await Task.Delay(5, ct).ConfigureAwait(false); // reading a small file costs microseconds: poll often, start fast
        }
    }

    /// <summary>postmaster.pid's 8th line is the server's status; "ready" once it accepts connections.</summary>
    private bool ReadsReady(string pidFile)
    {
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length >= 8 && lines[0].Trim() == _server.Id.ToString() && lines[7].Trim() == "ready";
        }
        catch (IOException)
        {
            return false; // not written yet, or being rewritten
        }
    }
}
