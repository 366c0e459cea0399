using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;

namespace SchemaOps.Cli.Tests;

/// <summary>
/// SIGTERM (what systemd, Kubernetes and CI runners send), SIGHUP and SIGQUIT stop every long-running command as
/// Ctrl+C does: children stopped, partial files, scratch databases, throwaway servers and passfiles removed, the
/// database as before the unfinished step. After a SIGKILL, which no process can handle, the next run of any command
/// removes what the killed one left.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SignalTests(PostgresFixture pg) : IAsyncLifetime, IDisposable
{
    private const int SIGHUP = 1, SIGQUIT = 3, SIGTERM = 15;
    private readonly TempDir _dir = new();
    private string _db = "";

    public async Task InitializeAsync() => _db = await pg.Server.CreateDatabaseAsync();
    public Task DisposeAsync() => Task.CompletedTask;
    public void Dispose() => _dir.Dispose();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private Dictionary<string, string?> Env => new() { ["DATABASE_URL"] = pg.Server.Url(_db) };

    /// <summary>A table whose ACCESS EXCLUSIVE lock the test holds: whatever reads it (pg_dump, a snapshot, a DROP) waits until the test lets go.</summary>
    private async Task<NpgsqlConnection> HoldTableAsync(string table)
    {
        var c = new NpgsqlConnection(pg.Server.ConnectionString(_db) + ";Pooling=false");
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;", c);
        await cmd.ExecuteNonQueryAsync();
        return c;
    }

    private async Task SqlAsync(string sql)
    {
        await using var c = new NpgsqlConnection(pg.Server.ConnectionString(_db) + ";Pooling=false");
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The children of <paramref name="parent"/> running <paramref name="name"/>, from /proc.</summary>
    private static List<int> Children(int parent, string name) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _)).Select(int.Parse!)
            .Where(pid => Stat(pid) is { } s && s.Name == name && s.Parent == parent).ToList();

    private static List<int> Running(string name, Func<int, bool>? also = null) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _)).Select(int.Parse!)
            .Where(pid => Stat(pid) is { } s && s.Name == name && (also?.Invoke(pid) ?? true)).ToList();

    private static (string Name, int Parent)? Stat(int pid) => StatWithState(pid) is { } s ? (s.Name, s.Parent) : null;

    /// <summary>
    /// The process has ended: gone, or a zombie (an ended process whose dead parent's orphans init has not reaped yet,
    /// which a loaded machine delays; it runs nothing).
    /// </summary>
    private static bool Ended(int pid) => StatWithState(pid) is not { State: not ('Z' or 'X') };

    private static (string Name, int Parent, char State)? StatWithState(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (name, int.Parse(rest[1]), rest[0][0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    /// <summary>
    /// Waits for what <paramref name="probe"/> looks for while <paramref name="runner"/> runs. A runner that ended
    /// first fails the wait at once with its exit code and output: an early end and a slow start must not look alike.
    /// </summary>
    private static async Task<T> Until<T>(Process runner, Func<T?> probe, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (probe() is { } found && (found is not System.Collections.ICollection c || c.Count > 0)) return found;
            if (runner.HasExited)
                throw new InvalidOperationException($"{what}: the runner ended first, exit {runner.ExitCode}" + (runner.StartInfo.RedirectStandardOutput
                    ? $"\nstdout: {await runner.StandardOutput.ReadToEndAsync()}\nstderr: {await runner.StandardError.ReadToEndAsync()}" : ""));
            await Task.Delay(50);
        }
        throw new TimeoutException($"{what} (within 60 s; the runner still runs)");
    }

    /// <summary>The runner's journal of what it has under way (Leftovers): where its passfile folder is, for instance.</summary>
    private static List<string> Journal(int pid, string kind)
    {
        var root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "schemaops", "running");
        return Directory.Exists(root)
            ? Directory.GetDirectories(root, $"{pid}-*").SelectMany(f => Directory.GetFiles(f, $"{kind}-*")).Select(f => File.ReadAllLines(f)[0]).ToList()
            : [];
    }

    private static void Stop(Process runner, int signal)
    {
        Assert.Equal(0, kill(runner.Id, signal));
        Assert.True(runner.WaitForExit(30_000), "the runner did not stop");
        Assert.Equal(128 + signal, runner.ExitCode);
    }

    [Theory]
    [InlineData(SIGTERM)]
    [InlineData(SIGHUP)]
    [InlineData(SIGQUIT)]
    public async Task A_signal_during_a_backup_stops_pg_dump_and_leaves_no_archive_and_no_passfile(int signal)
    {
        await SqlAsync("CREATE TABLE accounts (id int); INSERT INTO accounts SELECT generate_series(1, 1000);");
        await using var holder = await HoldTableAsync("accounts");
        var archive = Path.Combine(_dir.Path, "a.dump");
        using var runner = CliProcess.Start(["backup", "--out", archive, "--row-counts", "none"], Env);
        var dumps = await Until(runner, () => Children(runner.Id, "pg_dump"), "pg_dump never started");
        var passfolders = await Until(runner, () => Journal(runner.Id, "passfolder"), "no passfile folder written down");

        Stop(runner, signal);

        Assert.All(dumps, pid => Assert.True(Ended(pid), $"process {pid} still runs"));
        Assert.False(File.Exists(archive) || File.Exists(archive + ".partial"), "an archive was left");
        Assert.All(passfolders, folder => Assert.False(Directory.Exists(folder), $"{folder} (a plaintext password) was left"));
    }

    [Fact]
    public async Task A_signal_during_a_schema_dump_stops_pg_dump_and_leaves_the_committed_schema_file_as_it_was()
    {
        await SqlAsync("CREATE TABLE accounts (id int);");
        await using var holder = await HoldTableAsync("accounts"); // pg_dump waits for its lock on accounts
        var schemaFile = _dir.Write("db/schema.sql", "-- the committed schema\n");
        using var runner = CliProcess.Start(["dump", "--out", schemaFile], Env);
        var dumps = await Until(runner, () => Children(runner.Id, "pg_dump"), "pg_dump never started");
        var passfolders = await Until(runner, () => Journal(runner.Id, "passfolder"), "no passfile folder written down");

        Stop(runner, SIGTERM);

        Assert.All(dumps, pid => Assert.True(Ended(pid), $"process {pid} still runs"));
        Assert.Equal("-- the committed schema\n", File.ReadAllText(schemaFile));
        Assert.Equal(["schema.sql"], Directory.GetFiles(Path.GetDirectoryName(schemaFile)!).Select(Path.GetFileName)); // no partial file
        Assert.All(passfolders, folder => Assert.False(Directory.Exists(folder), $"{folder} (a plaintext password) was left"));
    }

    [Fact]
    public async Task A_signal_during_a_clean_restore_stops_pg_restore_and_changes_nothing()
    {
        await SqlAsync("CREATE TABLE accounts (id int); INSERT INTO accounts SELECT generate_series(1, 100);");
        var archive = Path.Combine(_dir.Path, "a.dump");
        Assert.Equal(0, (await CliProcess.RunAsync(["backup", "--out", archive], Env)).ExitCode);
        await SqlAsync("CREATE TABLE later (id int); INSERT INTO accounts VALUES (101);");
        await using (var holder = await HoldTableAsync("later"))
        {
            using var runner = CliProcess.Start(["restore", archive, "--clean"], Env);
            var tools = await Until(runner, () => Children(runner.Id, "psql"), "psql never started");
            await Task.Delay(500); // into the prelude's DROP, waiting for the lock the test holds
            Stop(runner, SIGTERM);
            Assert.All(tools, pid => Assert.True(Ended(pid), $"process {pid} still runs"));
        }
        Assert.Equal(101L, await pg.ScalarAsync(_db, "SELECT count(*) FROM accounts"));
        Assert.Equal("later", await pg.ScalarAsync(_db, "SELECT to_regclass('later')::text"));
    }

    [Fact]
    public async Task A_signal_during_a_test_restore_drops_its_scratch_database()
    {
        // The restore waits on its first row, in the scratch database only, until the signal comes: a restore that
        // ran to its end before the test looked (400,000 rows took under a second once) proved nothing.
        await SqlAsync("""
            CREATE FUNCTION gate(id int) RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN IF id = 1 AND current_database() LIKE 'schemaops_restore_%' THEN PERFORM pg_sleep(60); END IF; RETURN true; END $$;
            CREATE TABLE big (id int CHECK (gate(id)), filler text); INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 1000) g;
            """);
        var archive = Path.Combine(_dir.Path, "big.dump");
        Assert.Equal(0, (await CliProcess.RunAsync(["backup", "--out", archive, "--row-counts", "estimated"], Env)).ExitCode);
        using var runner = CliProcess.Start(["test-backup", archive], Env);
        await Until(runner, () => Equals(pg.ScalarAsync(_db, "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'schemaops_restore_%' AND wait_event = 'PgSleep'").Result, 1L) ? "" : null,
            "the restore never reached its rows");
        var restores = Children(runner.Id, "pg_restore");
        Assert.NotEmpty(restores);
        Stop(runner, SIGTERM);
        Assert.All(restores, pid => Assert.True(Ended(pid), $"process {pid} still runs"));
        Assert.Equal(0L, await pg.ScalarAsync(_db, "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemaops_restore_%'"));
    }

    [Fact]
    public async Task A_signal_during_a_migration_rolls_it_back()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write("V2__slow.sql", "CREATE TABLE b (id int);\nSELECT pg_sleep(30);\n");
        using var runner = CliProcess.Start(["migrate", "--path", _dir.Path], Env);
        await Until(runner, () => Equals(pg.ScalarAsync(_db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()").Result, 1L) ? "" : null, "the slow migration never started");
        Stop(runner, SIGTERM);
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history"));
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('b')::text"));
    }

    [Fact]
    public async Task A_signal_during_a_drift_check_removes_its_throwaway_server_and_changes_nothing()
    {
        // Slow only where it is replayed: on the drift check's throwaway server, not on this one.
        _dir.Write("V1__t.sql", $"CREATE TABLE t (id int);\nDO $$ BEGIN IF current_setting('port')::int <> {pg.Server.Port} THEN PERFORM pg_sleep(60); END IF; END $$;\n");
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate", "--path", _dir.Path], Env)).ExitCode);
        using var runner = CliProcess.Start(["drift", "--path", _dir.Path], Env);
        var ephemeral = SchemaOps.Engine.Ephemeral.EphemeralStorage.Choose();
        static bool Ready(string cluster) => File.Exists(Path.Combine(cluster, "data", "postmaster.pid"))
            && File.ReadAllLines(Path.Combine(cluster, "data", "postmaster.pid")) is { Length: >= 8 } lines && lines[7].Trim() == "ready";
        var cluster = await Until(runner, () => Directory.Exists(ephemeral) ? Directory.GetDirectories(ephemeral, $"cluster-{runner.Id}-*").FirstOrDefault(Ready) : null,
            "the drift check's throwaway server never came up");
        var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster, "data", "postmaster.pid")).First());
        await Task.Delay(1500); // into the slow replay
        Stop(runner, SIGTERM);
        Assert.False(Directory.Exists(cluster));
        Assert.True(Ended(postmaster));
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history"));
    }

    [Theory]
    [InlineData(SIGTERM)]
    [InlineData(SIGHUP)]
    public async Task A_signal_to_a_serving_throwaway_server_removes_it(int signal)
    {
        using var runner = CliProcess.Start(["ephemeral", "--json"]);
        var json = "";
        while (!json.TrimEnd().EndsWith(']')) json += await runner.StandardOutput.ReadLineAsync() + "\n";
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var data = doc.RootElement[0].GetProperty("dataDirectory").GetString()!;
        var postmaster = doc.RootElement[0].GetProperty("processId").GetInt32();
        Assert.Equal(0, kill(runner.Id, signal));
        Assert.True(runner.WaitForExit(30_000));
        Assert.False(Directory.Exists(Path.GetDirectoryName(data)));
        Assert.True(Ended(postmaster));
    }

    [Fact]
    public async Task After_a_SIGKILL_the_next_command_removes_the_passfile_the_orphaned_pg_dump_and_its_partial_archive()
    {
        await SqlAsync("CREATE TABLE accounts (id int); INSERT INTO accounts SELECT generate_series(1, 1000);");
        var archive = Path.Combine(_dir.Path, "a.dump");
        List<int> dumps;
        List<string> passfolders;
        await using (var holder = await HoldTableAsync("accounts"))
        {
            using var runner = CliProcess.Start(["backup", "--out", archive, "--row-counts", "none"], Env);
            dumps = await Until(runner, () => Children(runner.Id, "pg_dump"), "pg_dump never started");
            passfolders = await Until(runner, () => Journal(runner.Id, "passfolder"), "no passfile folder written down");
            runner.Kill(); // SIGKILL: nothing of the runner's runs
            Assert.True(runner.WaitForExit(30_000));
            Assert.All(passfolders, folder => Assert.True(Directory.Exists(folder))); // the password, in plain text, left behind

            Assert.Equal(0, (await CliProcess.RunAsync(["version"])).ExitCode); // any command
        }
        Assert.All(dumps, pid => Assert.True(Ended(pid), $"process {pid} still runs"));
        Assert.All(passfolders, folder => Assert.False(Directory.Exists(folder)));
        await Task.Delay(500);
        Assert.False(File.Exists(archive + ".partial") || Directory.Exists(archive + ".partial"));
    }

    [Fact]
    public async Task A_restore_whose_runner_is_killed_stops_with_it_and_changes_nothing()
    {
        // Each row restored into big passes a check that waits for an advisory lock the test holds in the target: the
        // restore is caught mid-COPY however fast the machine, with most of the archive still to come (a runner killed
        // after pg_restore ended has rightly sent COMMIT). Rows are made before the check, so the backup never waits.
        await SqlAsync("""
            CREATE FUNCTION gate(id int) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN true; END $$;
            CREATE TABLE big (id int, filler text);
            INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 400000) g;
            ALTER TABLE big ADD CONSTRAINT big_gate CHECK (gate(id));
            """);
        var archive = Path.Combine(_dir.Path, "big.dump");
        Assert.Equal(0, (await CliProcess.RunAsync(["backup", "--out", archive, "--row-counts", "none"], Env)).ExitCode);
        var target = await pg.Server.CreateDatabaseAsync();
        List<int> tools;
        await using (var gate = new NpgsqlConnection(pg.Server.ConnectionString(target) + ";Pooling=false"))
        {
            await gate.OpenAsync();
            await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock(4242)", gate)) await hold.ExecuteNonQueryAsync();
            using var runner = CliProcess.Start(["restore", archive, "--url", pg.Server.Url(target)]);
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", gate);
            await Until(runner, () => (long)waiting.ExecuteScalar()! > 0 ? "" : null, "the restore never reached the rows of big");
            tools = Children(runner.Id, "pg_restore").Concat(Children(runner.Id, "psql")).ToList();
            Assert.Equal(2, tools.Count);
            runner.Kill();
            Assert.True(runner.WaitForExit(30_000));
        } // the gate opens: psql goes on to the end of what it was given, which holds no COMMIT
        // Without anyone to clean up: pg_restore and psql end by themselves, the transaction is rolled back.
        for (var i = 0; i < 200 && !tools.All(Ended); i++) await Task.Delay(50);
        Assert.All(tools, pid => Assert.True(Ended(pid), $"process {pid} still runs"));
        Assert.Null(await pg.ScalarAsync(target, "SELECT to_regclass('big')::text"));
    }

    [Fact]
    public async Task After_a_SIGKILL_the_next_test_restore_on_the_server_drops_the_scratch_database_left()
    {
        await SqlAsync("CREATE TABLE big (id int, filler text); INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 400000) g; CREATE INDEX big_id ON big (id);");
        var archive = Path.Combine(_dir.Path, "big.dump");
        Assert.Equal(0, (await CliProcess.RunAsync(["backup", "--out", archive, "--row-counts", "estimated"], Env)).ExitCode);
        string scratch;
        using (var runner = CliProcess.Start(["test-backup", archive], Env))
        {
            await Until(runner, () => Children(runner.Id, "pg_restore"), "pg_restore never started");
            scratch = (string)(await pg.ScalarAsync(_db, "SELECT datname FROM pg_database WHERE datname LIKE 'schemaops_restore_%' LIMIT 1"))!;
            runner.Kill();
            Assert.True(runner.WaitForExit(30_000));
        }
        var again = await CliProcess.RunAsync(["test-backup", archive, "--verbose"], Env);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"dropped {scratch}", again.Stderr);
        Assert.Equal(0L, await pg.ScalarAsync(_db, "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemaops_restore_%'"));
    }

    [Fact]
    public async Task After_a_SIGKILL_the_next_command_stops_and_removes_the_orphaned_throwaway_server()
    {
        using var runner = CliProcess.Start(["ephemeral", "--json"]);
        var json = "";
        while (!json.TrimEnd().EndsWith(']')) json += await runner.StandardOutput.ReadLineAsync() + "\n";
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var cluster = Path.GetDirectoryName(doc.RootElement[0].GetProperty("dataDirectory").GetString()!)!;
        var postmaster = doc.RootElement[0].GetProperty("processId").GetInt32();
        runner.Kill();
        Assert.True(runner.WaitForExit(30_000));
        Assert.NotNull(Stat(postmaster));
        Assert.Equal(0, (await CliProcess.RunAsync(["version"])).ExitCode);
        for (var i = 0; i < 100 && !Ended(postmaster); i++) await Task.Delay(50);
        Assert.True(Ended(postmaster));
        Assert.False(Directory.Exists(cluster));
    }

    [Fact]
    public async Task After_a_SIGKILL_the_next_command_removes_the_orphaned_server_while_the_dead_owner_is_still_a_zombie()
    {
        // The owner's parent never reaps it (sleep waits for no child), as under a container init that reaps late: the
        // killed owner stays a zombie, which kill(pid, 0) still finds. The next command must take it for dead.
        var output = Path.Combine(_dir.Path, "ephemeral.json");
        var command = string.Join(' ', CliProcess.CommandLine(["ephemeral", "--json"]).Select(a => $"'{a}'"));
        using var parent = Process.Start(new ProcessStartInfo("sh", ["-c", $"{command} > '{output}' 2>/dev/null & exec sleep 120"]))!;
        try
        {
            var json = await Until(parent, () => File.Exists(output) && File.ReadAllText(output).TrimEnd().EndsWith(']') ? File.ReadAllText(output) : null, "the throwaway server never came up");
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var cluster = Path.GetDirectoryName(doc.RootElement[0].GetProperty("dataDirectory").GetString()!)!;
            var postmaster = doc.RootElement[0].GetProperty("processId").GetInt32();
            var owner = int.Parse(Path.GetFileName(cluster).Split('-')[1]);
            Assert.Equal(0, kill(owner, 9));
            await Until(parent, () => StatWithState(owner) is { State: 'Z' } ? "" : null, "the killed owner never became a zombie");

            Assert.Equal(0, (await CliProcess.RunAsync(["version"])).ExitCode);

            Assert.Equal('Z', StatWithState(owner)?.State); // still unreaped: the sweep did not wait for that
            for (var i = 0; i < 100 && !Ended(postmaster); i++) await Task.Delay(50);
            Assert.True(Ended(postmaster));
            Assert.False(Directory.Exists(cluster));
        }
        finally
        {
            parent.Kill();
        }
    }
}
