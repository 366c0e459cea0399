using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
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
    private static readonly ConcurrentDictionary<string, EphemeralPostgres> Live = new();
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);

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

    /// <summary>An Npgsql connection string for a database of this cluster: the password stays in the cluster's private passfile.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = SuperUser, Passfile = PassfilePath, Database = database, ApplicationName = "schemaops" }.ConnectionString;

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
        await using var conn = new NpgsqlConnection(ConnectionString());
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", conn);
        await cmd.ExecuteNonQueryAsync(ct);
        return name;
    }

    public static async Task<EphemeralPostgres> StartAsync(EphemeralOptions? options = null, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        options ??= new EphemeralOptions();
        var installation = PostgresInstallation.Find(options.BinDirectory);
        var runAs = ServerUser();
        var baseDir = options.BaseDirectory ?? EphemeralStorage.Choose(options.ExpectedDataBytes);
        PrepareBaseDirectory(baseDir);
        RemoveStaleClusters(baseDir);

        var (templateData, password) = await EnsureTemplateAsync(installation, baseDir, runAs, ct);
        var directory = Path.Combine(baseDir, $"cluster-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        var data = Path.Combine(directory, "data");
        LayOutCluster(templateData, directory, password, runAs);

        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var log = new BoundedLog();
            var server = StartProcess(installation.Tool("postgres"), ["-D", data, "-p", port.ToString(), "-c", $"max_connections={MaxConnections}", .. SocketArguments(directory)],
                directory, runAs is not null, log);
            var cluster = new EphemeralPostgres(installation, directory, port, password, server, log);
            Live.TryAdd(cluster.Id, cluster);
            try
            {
                await cluster.WaitUntilReadyAsync(ct);
                cluster.StartDuration = watch.Elapsed;
                return cluster;
            }
            catch (SchemaOpsException) when (attempt < 3 && log.Text.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took the port between our probe and the bind: try another, in a fresh copy
                // (disposing the failed cluster removed its folder).
                await cluster.DisposeAsync();
                LayOutCluster(templateData, directory, password, runAs);
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        StopAndDelete();
        return ValueTask.CompletedTask;
    }

    private void StopAndDelete()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Live.TryRemove(Id, out _);
        try
        {
            if (!_server.HasExited)
            {
                // SIGQUIT is PostgreSQL's immediate shutdown: the cluster is thrown away, nothing to flush.
                if (OperatingSystem.IsWindows() || !Unix.Signal(_server.Id, Unix.SIGQUIT)) _server.Kill(entireProcessTree: true);
                if (!_server.WaitForExit(10_000)) _server.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        _server.Dispose();
        DeleteQuietly(Directory);
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
            await Task.Delay(5, ct); // reading a small file costs microseconds: poll often, start fast
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

    private static async Task<(string Data, string Password)> EnsureTemplateAsync(PostgresInstallation installation, string baseDir, (int, int)? runAs, CancellationToken ct)
    {
        // One template per set of binaries; a binary replaced in place (an upgrade) gets a new one.
        var postgres = new FileInfo(installation.Tool("postgres"));
        var identity = $"{installation.BinDirectory}|{postgres.Length}|{postgres.LastWriteTimeUtc.Ticks}";
        var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..12].ToLowerInvariant();
        var template = Path.Combine(baseDir, $"template-{key}");
        var passwordFile = Path.Combine(template, "password");
        await TemplateGate.WaitAsync(ct);
        try
        {
            if (!File.Exists(Path.Combine(template, "ready")))
            {
                // Build in a private folder and rename into place, so concurrent processes never see half a template.
                var staging = Path.Combine(baseDir, $"staging-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
                System.IO.Directory.CreateDirectory(staging);
                try
                {
                    var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
                    var pwfile = Path.Combine(staging, "pwfile");
                    using (var writer = new StreamWriter(PrivateFile.Create(pwfile))) writer.Write(password);
                    if (runAs is { } owner) Unix.ChownTree(staging, owner);
                    var data = Path.Combine(staging, "data");
                    await RunToolAsync(installation.Tool("initdb"),
                        ["-D", data, "-U", SuperUser, "--pwfile", pwfile, "--auth", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"],
                        staging, runAs is not null, ct);
                    File.Delete(pwfile);
                    File.AppendAllText(Path.Combine(data, "postgresql.conf"), """

                        # schemaops ephemeral cluster: loopback only, no socket, speed over durability (it is thrown away)
                        listen_addresses = '127.0.0.1'
                        unix_socket_directories = ''
                        fsync = off
                        synchronous_commit = off
                        full_page_writes = off
                        max_connections = 100
                        log_min_messages = warning

                        """);
                    using (var writer = new StreamWriter(PrivateFile.Create(Path.Combine(staging, "password")))) writer.Write(password);
                    File.WriteAllText(Path.Combine(staging, "ready"), "");
                    try
                    {
                        System.IO.Directory.Move(staging, template);
                    }
                    catch (IOException) when (File.Exists(Path.Combine(template, "ready")))
                    {
                        // another process finished first: use its template
                    }
                }
                finally
                {
                    DeleteQuietly(staging);
                }
            }
            return (Path.Combine(template, "data"), File.ReadAllText(passwordFile).Trim());
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>
    /// Creates the base folder, searchable but not listable by others (the server's OS user must reach its
    /// cluster inside). Setting the mode fails unless the folder is ours, so a folder planted by another user
    /// is refused instead of used.
    /// </summary>
    private static void PrepareBaseDirectory(string baseDir)
    {
        try
        {
            System.IO.Directory.CreateDirectory(baseDir);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(baseDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SchemaOpsException(ErrorCatalog.EphemeralFolderUnusable,
                $"cannot use {baseDir} for throwaway PostgreSQL clusters ({e.Message}); point {EphemeralStorage.OverrideVariable} at a folder of your own", baseDir);
        }
    }

    /// <summary>Stops and deletes the clusters of owners that are gone (killed without a chance to clean up), wherever they may live.</summary>
    internal static void RemoveStaleClusters(string? alsoIn = null)
    {
        foreach (var known in EphemeralStorage.KnownBaseDirectories().Append(alsoIn).OfType<string>().Distinct())
            try
            {
                if (System.IO.Directory.Exists(known)) RemoveStaleClustersIn(known);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours, or going away under us: the next start tries again.
            }
    }

    private static void RemoveStaleClustersIn(string baseDir)
    {
        foreach (var dir in System.IO.Directory.GetDirectories(baseDir))
        {
            var name = Path.GetFileName(dir);
            if (!(name.StartsWith("cluster-") || name.StartsWith("staging-"))) continue;
            var parts = name.Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[1], out var ownerPid) || Unix.IsAlive(ownerPid)) continue;
            var pidFile = Path.Combine(dir, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var postmaster) && Unix.IsAlive(postmaster))
            {
                Unix.Signal(postmaster, Unix.SIGQUIT);
                for (var i = 0; i < 100 && Unix.IsAlive(postmaster); i++) Thread.Sleep(50);
                // A loaded machine can take longer than that: a server still writing files would undo the delete.
                if (Unix.IsAlive(postmaster)) Unix.Signal(postmaster, Unix.SIGKILL);
                for (var i = 0; i < 40 && Unix.IsAlive(postmaster); i++) Thread.Sleep(50);
            }
            // Its last backends may still be removing files of their own: delete until the folder is gone.
            for (var attempt = 0; attempt < 5 && System.IO.Directory.Exists(dir); attempt++)
            {
                if (attempt > 0) Thread.Sleep(100);
                DeleteQuietly(dir);
            }
        }
    }

    /// <summary>The OS user the server must run as: `postgres` when we are root, else ourselves (null).</summary>
    private static (int Uid, int Gid)? ServerUser()
    {
        if (!Unix.IsRoot) return null;
        return Unix.LookupUser(SuperUser) ?? throw new SchemaOpsException(ErrorCatalog.NoPostgresOsUser,
            "running as root, but PostgreSQL refuses to run as root and there is no 'postgres' OS user to run it as: create one (useradd --system postgres) or run as a normal user");
    }

    private static Process StartProcess(string file, IEnumerable<string> args, string workingDirectory, bool asPostgres, BoundedLog log)
    {
        // initdb and postgres read PGDATA, PGPORT, PGOPTIONS...: the caller's are for another server.
        var psi = Connections.LibpqEnvironment.StartInfo(file, args);
        (psi.WorkingDirectory, psi.RedirectStandardOutput, psi.RedirectStandardError) = (workingDirectory, true, true);
        if (asPostgres) psi.UserName = SuperUser;
        psi.Environment["LC_MESSAGES"] = "C";
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => log.Add(e.Data);
        p.ErrorDataReceived += (_, e) => log.Add(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task RunToolAsync(string file, IEnumerable<string> args, string workingDirectory, bool asPostgres, CancellationToken ct)
    {
        var log = new BoundedLog();
        using var p = StartProcess(file, args, workingDirectory, asPostgres, log);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new SchemaOpsException(ErrorCatalog.EphemeralInitFailed,
                $"{Path.GetFileName(file)} failed with exit code {p.ExitCode}:\n{log.Text}");
    }

    /// <summary>The cluster's own socket folder, owner-only; none where unix sockets are not a thing or the path is too long for one (about 107 bytes).</summary>
    private static string[] SocketArguments(string directory) =>
        OperatingSystem.IsWindows() || directory.Length > 80 ? [] : ["-k", directory, "-c", "unix_socket_permissions=0700"];

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The cluster's folder: a copy of the template's data folder, owned by the server's user, and our
    /// passfile. A failed copy (a full disk, say) leaves no half cluster behind.
    /// </summary>
    private static void LayOutCluster(string templateData, string directory, string password, (int, int)? runAs)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            if (runAs is { } owner) Unix.Chown(directory, owner);
            CopyTree(templateData, Path.Combine(directory, "data"), runAs);
            // Ours, not the server user's: only this user (and root) can read the password.
            using var writer = new StreamWriter(PrivateFile.Create(Path.Combine(directory, "pgpass")));
            writer.Write($"*:*:*:{SuperUser}:{password}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || e is AggregateException { InnerException: IOException or UnauthorizedAccessException })
        {
            DeleteQuietly(directory);
            var cause = e is AggregateException a ? a.InnerException! : e;
            throw new SchemaOpsException(ErrorCatalog.EphemeralFolderUnusable,
                $"cannot create a throwaway cluster in {directory} ({cause.Message}); free some space or point {EphemeralStorage.OverrideVariable} at another folder", directory);
        }
    }

    /// <summary>
    /// Copies a data folder (about 2,000 files), files in parallel, each given to <paramref name="owner"/>
    /// as it is made; the folder itself owner-only, as PostgreSQL demands.
    /// </summary>
    private static void CopyTree(string from, string to, (int, int)? owner)
    {
        System.IO.Directory.CreateDirectory(to);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (owner is { } o) Unix.Chown(to, o);
        foreach (var dir in System.IO.Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, dir));
            System.IO.Directory.CreateDirectory(target);
            if (owner is { } d) Unix.Chown(target, d);
        }
        Parallel.ForEach(System.IO.Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories), file =>
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            if (owner is { } f) Unix.Chown(target, f);
        });
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The last lines the server printed, for error messages.</summary>
    private sealed class BoundedLog
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null) return;
            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > 40) _lines.Dequeue();
            }
        }

        public string Text
        {
            get { lock (_lines) return string.Join('\n', _lines); }
        }
    }
}
