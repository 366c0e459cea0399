using Npgsql;
using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Tests.Operations;
using SchemaOps.Engine.Tests.Snapshots;

namespace SchemaOps.Engine.Tests.Backups;

public class BackupTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private Task<DatabaseBackup> BackupAsync(BackupOptions options, CancellationToken ct = default, RecordingSink? sink = null) =>
        BackupOperation.BackupAsync(Request(), options, sink ?? new RecordingSink(), ct);

    private Task<BackupTestResult> TestRestoreAsync(string path, SchemaSnapshot? snapshot = null) =>
        BackupTestOperation.TestAsync(new MigrationRequest(ConnectionTarget.Parse(ConnectionString), new MigrationSettings()), path, snapshot, null, new RecordingSink(), CancellationToken.None);

    [Theory]
    [InlineData(BackupFormat.Custom, 1)]
    [InlineData(BackupFormat.Directory, 2)]
    public async Task Backup_then_test_restore_round_trips_every_object_kind_with_no_difference(BackupFormat format, int jobs)
    {
        Dir.Write("V1__extra.sql", "CREATE TABLE extra (id int);");
        await MigrateAsync();
        await ExecAsync(EveryObjectKind.Sql);
        var path = Path.Combine(Dir.Path, "out", "shop.dump");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        var backup = await BackupAsync(new BackupOptions(path) { Format = format, Jobs = jobs });

        Assert.Equal(path, backup.Path);
        Assert.Equal("1", backup.MigrationVersion?.Text);
        Assert.True(backup.SizeBytes > 0 && backup.TocEntries > 20, $"{backup.SizeBytes} bytes, {backup.TocEntries} entries");
        Assert.Equal(BackupOperation.Sha256(path, format), backup.Sha256);
        Assert.Equal(50, backup.Snapshot!.RowCounts.Single(c => c.Table == "customers").Rows);
        if (!OperatingSystem.IsWindows())
        {
            var mode = format == BackupFormat.Custom ? File.GetUnixFileMode(path) : File.GetUnixFileMode(path) & ~UnixFileMode.UserExecute;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode); // owner only
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup.SnapshotPath));
        }
        Assert.Equal([Path.GetFileName(path), Path.GetFileName(backup.SnapshotPath)], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());

        var test = await TestRestoreAsync(path);
        Assert.True(test.Passed, string.Join("\n", test.Differences));
        Assert.True(test.RowsChecked >= 100);
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname = '{test.RestoredInto}'")); // dropped
    }

    [Fact]
    public async Task A_backup_behind_an_ALTER_waiting_for_its_lock_fails_at_its_lock_wait_naming_the_table_and_keeps_nothing()
    {
        // The runbooks' first step, at the worst moment: a transaction left open, an ALTER TABLE queued behind it, and every
        // read of the table queued behind the ALTER. pg_dump's ACCESS SHARE queued too: the backup hung without a word.
        await ExecAsync("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1); CREATE TABLE other (id int);");
        await using (await AlterWaitingBehindReaderAsync("orders"))
        {
            var path = Path.Combine(Dir.Path, "shop.dump");

            var backup = BackupAsync(new BackupOptions(path) { LockWaitTimeout = TimeSpan.FromMilliseconds(500) });
            Assert.True(await Task.WhenAny(backup, Task.Delay(TimeSpan.FromSeconds(30))) == backup, "the backup queued behind the ALTER");
            var e = await Assert.ThrowsAsync<SchemaOpsException>(() => backup);

            Assert.Equal(ErrorCatalog.LockTimeout.Id, e.ErrorId);
            Assert.StartsWith("public.orders could not be locked for reading within 500 ms", e.Message);
            Assert.Contains("-LockWaitTimeout / --lock-wait-timeout", e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(Dir.Path, "shop.dump*")); // nothing kept, no partial file, no snapshot
        }
    }

    [Fact]
    public async Task A_backup_longer_than_the_database_s_idle_in_transaction_timeout_completes()
    {
        // A production guard (ALTER DATABASE/ROLE ... SET idle_in_transaction_session_timeout): the transaction whose
        // snapshot pg_dump dumps sits idle while pg_dump works, and was ended by it, failing every backup that took longer.
        await ExecAsync("CREATE TABLE t (id int PRIMARY KEY); CREATE SCHEMA reports; CREATE TABLE reports.daily (day date);");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await ExecAsync($"ALTER DATABASE \"{database}\" SET idle_in_transaction_session_timeout = '200ms'");
        SchemaOps.Engine.Connections.ConnectionTarget.ClearAllPools(); // new sessions take the setting
        await using var holder = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await holder.OpenAsync();
        await using (var lockTable = new NpgsqlCommand("SET idle_in_transaction_session_timeout = 0; BEGIN; LOCK TABLE reports.daily IN ACCESS EXCLUSIVE MODE;", holder))
            await lockTable.ExecuteNonQueryAsync(); // the holder sits idle in its transaction too, on purpose

        // The snapshot reads public and is done; pg_dump, which dumps every schema, waits for reports.daily meanwhile.
        var backup = BackupOperation.BackupAsync(Request(s => s with { Schemas = ["public"] }), new BackupOptions(Path.Combine(Dir.Path, "t.dump")), new RecordingSink(), CancellationToken.None);
        await Task.Delay(1000);
        await holder.CloseAsync();

        Assert.True(File.Exists((await backup).Path));
    }

    [Fact]
    public async Task A_test_restore_can_run_on_a_throwaway_server_of_its_own()
    {
        await ExecAsync("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10);");
        var backup = await BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "t.dump")));

        var test = await BackupTestOperation.TestOnEphemeralAsync(new MigrationSettings(), backup.Path, null, null, new RecordingSink(), CancellationToken.None);

        Assert.True(test.Passed, string.Join("\n", test.Differences));
        Assert.Equal(10, test.RowsChecked);
    }

    [Fact]
    public async Task A_backup_whose_policy_names_a_role_test_restores_on_a_throwaway_server_without_it()
    {
        // Owners and grants are left out there already; a policy's role stopped the restore ("role ... does not exist").
        var role = $"reader_{new NpgsqlConnectionStringBuilder(ConnectionString).Database}";
        await ExecAsync($"CREATE ROLE {role} NOLOGIN; CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10); " +
                        $"ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY readers ON t TO {role} USING (true);");
        var backup = await BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "t.dump")));

        var test = await BackupTestOperation.TestOnEphemeralAsync(new MigrationSettings(), backup.Path, null, null, new RecordingSink(), CancellationToken.None);

        Assert.True(test.Passed, string.Join("\n", test.Differences));
        Assert.Equal(10, test.RowsChecked);
    }

    [Fact]
    public async Task A_test_restore_says_which_database_the_backup_is_of_and_warns_when_the_url_names_another()
    {
        await ExecAsync("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10);");
        var backup = await BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "t.dump")));
        var mine = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var other = new NpgsqlConnectionStringBuilder(await _pg.NewDatabaseAsync()) { Pooling = false }.ConnectionString;
        var sink = new RecordingSink();

        var test = await BackupTestOperation.TestAsync(new MigrationRequest(ConnectionTarget.Parse(other), new MigrationSettings()), backup.Path, null, null, sink, CancellationToken.None);

        Assert.True(test.Passed); // the backup itself is fine...
        Assert.EndsWith($"/{mine}", test.SourceDatabase); // ...and it is of this database, which the result says
        var otherName = new NpgsqlConnectionStringBuilder(other).Database;
        Assert.Contains(sink.Warnings, w => w.Contains($"is a backup of database '{mine}'") && w.Contains($"not of '{otherName}'"));
        Assert.Contains($"/{mine}):", test.ToString());

        var quiet = new RecordingSink();
        await BackupTestOperation.TestAsync(new MigrationRequest(ConnectionTarget.Parse(ConnectionString), new MigrationSettings()), backup.Path, null, null, quiet, CancellationToken.None);
        Assert.Empty(quiet.Warnings); // the database it is of: nothing to say
    }

    [Fact]
    public async Task A_test_restore_reports_what_differs_from_the_snapshot_taken_with_the_backup()
    {
        await ExecAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2);");
        var path = Path.Combine(Dir.Path, "t.dump");
        var backup = await BackupAsync(new BackupOptions(path));
        // The snapshot says three rows: the archive holds two. (As if the dump had missed data.)
        var claimed = backup.Snapshot!;
        var wrong = new SchemaSnapshot { Database = claimed.Database, Schemas = claimed.Schemas, Objects = claimed.Objects, Migrations = claimed.Migrations,
            RowCounts = [new TableRowCount { Schema = "public", Table = "t", Rows = 3, Exact = true }] };

        var test = await TestRestoreAsync(path, wrong);

        Assert.False(test.Passed);
        var d = Assert.Single(test.Differences);
        Assert.Equal((SchemaObjectKind.RowCount, "t", "3", "2"), (d.Kind, d.Name, d.Reference, d.Difference));
    }

    [Fact]
    public async Task The_password_never_reaches_pg_dumps_command_line_or_environment()
    {
        await ExecAsync("CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS filler FROM generate_series(1, 300000) g");
        // The hard case: the password written in the connection string itself (the server's own strings name a passfile).
        var password = _pg.Server.Password;
        ConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Passfile = null, Password = password }.ConnectionString;
        var seen = new List<(string CommandLine, string Environment)>();
        using var stop = new CancellationTokenSource();
        var spy = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
                {
                    try
                    {
                        var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                        if (cmdline.Contains("pg_dump")) seen.Add((cmdline, File.ReadAllText(Path.Combine(dir, "environ")).Replace('\0', '\n')));
                    }
                    catch (IOException) { } // the process ended meanwhile
                    catch (UnauthorizedAccessException) { }
                }
                await Task.Delay(5);
            }
        });

        await BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "big.dump")));
        await stop.CancelAsync();
        await spy;

        Assert.NotEmpty(seen); // it did look while pg_dump ran
        Assert.All(seen, s => Assert.DoesNotContain(password, s.CommandLine));
        Assert.All(seen, s => Assert.DoesNotContain(password, s.Environment));
        Assert.Contains(seen, s => s.Environment.Contains("PGPASSFILE="));
    }

    [Fact]
    public async Task A_canceled_backup_leaves_no_file_and_no_pg_dump_behind()
    {
        await ExecAsync("CREATE TABLE big AS SELECT g AS id, repeat(md5(g::text), 20) AS filler FROM generate_series(1, 400000) g");
        var path = Path.Combine(Dir.Path, "canceled.dump");
        using var cancel = new CancellationTokenSource();
        var sink = new RecordingSink();
        var backup = BackupAsync(new BackupOptions(path), cancel.Token, sink);
        for (var i = 0; i < 400 && !(File.Exists(path + ".partial") && new FileInfo(path + ".partial").Length > 0); i++) await Task.Delay(25);
        Assert.True(File.Exists(path + ".partial"), "the dump never started writing");
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => backup);
        Assert.Equal(SchemaOpsErrorCategory.OperationStopped, e.Category); // what Ctrl+C gives every operation (CLI exit 130)

        Assert.Empty(Directory.GetFileSystemEntries(Dir.Path, "canceled*"));
        Assert.DoesNotContain(Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])),
            d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(path); } catch (IOException) { return false; } });
    }

    [Fact]
    public async Task Refuses_to_overwrite_or_to_write_into_a_missing_folder_and_changes_nothing()
    {
        var existing = Dir.Write("taken.dump", "precious");
        Assert.Equal("BackupExists", (await Assert.ThrowsAsync<SchemaOpsException>(() => BackupAsync(new BackupOptions(existing)))).ErrorId);
        Assert.Equal("precious", File.ReadAllText(existing));
        Assert.Equal("BackupFolderNotFound", (await Assert.ThrowsAsync<SchemaOpsException>(() => BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "no", "x.dump"))))).ErrorId);
        Assert.Equal("ParallelNeedsDirectoryFormat", (await Assert.ThrowsAsync<SchemaOpsException>(() => BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "y.dump")) { Jobs = 4 }))).ErrorId);
    }

    [SkippableFact] // needs root to mount a small file system; skipped, not passed, without
    public async Task A_full_disk_is_BackupNoSpace_and_leaves_nothing_behind()
    {
        await ExecAsync("CREATE TABLE filler AS SELECT i, md5(i::text) AS h FROM generate_series(1, 200000) i"); // a few MB compressed
        await using var small = await SmallFileSystem.MountAsync("1m");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => BackupAsync(new BackupOptions(Path.Combine(small.Path, "full.dump"))));
        Assert.Equal("BackupNoSpace", e.ErrorId);
        Assert.Contains("full.dump", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(small.Path)); // no archive, no partial, no snapshot file
    }

    [SkippableFact] // needs root to mount a small file system; skipped, not passed, without
    public async Task A_disk_that_fills_at_any_point_near_the_end_is_BackupNoSpace_and_leaves_nothing_behind()
    {
        await ExecAsync("CREATE TABLE filler AS SELECT i, md5(i::text) AS h FROM generate_series(1, 20000) i");
        var size = new FileInfo((await BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "probe.dump")))).Path).Length;
        var pages = (size + 4095) / 4096;
        var outcomes = new List<string>();
        // From "the archive does not fit" to "everything fits", one 4 KB page at a time: the archive's last
        // bytes, then the snapshot beside it, are where the disk runs out.
        for (var p = pages - 2; p <= pages + 2; p++)
        {
            await using var small = await SmallFileSystem.MountAsync($"{p * 4}k");
            try
            {
                await BackupAsync(new BackupOptions(Path.Combine(small.Path, "x.dump")));
                outcomes.Add("ok");
                Assert.Equal(["x.dump", "x.dump.snapshot.json"], Directory.GetFileSystemEntries(small.Path).Select(Path.GetFileName).Order());
            }
            catch (SchemaOpsException e)
            {
                outcomes.Add(e.ErrorId);
                Assert.True(e.ErrorId == "BackupNoSpace", $"{p * 4} KB: {e.ErrorId}: {e.Message}");
                Assert.Empty(Directory.GetFileSystemEntries(small.Path)); // no archive, no partial, no snapshot file
            }
        }
        Assert.Contains("BackupNoSpace", outcomes);
        Assert.Equal("ok", outcomes[^1]);
    }

    [SkippableFact] // needs root to mount a small file system; skipped, not passed, without
    public async Task A_folder_that_cannot_be_written_is_BackupNotWritable_before_pg_dump_runs()
    {
        await using var readOnly = await SmallFileSystem.MountAsync("1m", readOnly: true);
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => BackupAsync(new BackupOptions(Path.Combine(readOnly.Path, "x.dump"))));
        Assert.Equal("BackupNotWritable", e.ErrorId);
        Assert.Contains(readOnly.Path, e.Message);
    }

    [Fact]
    public async Task A_missing_or_too_old_pg_dump_is_refused_with_what_to_install()
    {
        var empty = Directory.CreateDirectory(Path.Combine(Dir.Path, "empty-bin")).FullName;
        var missing = await Assert.ThrowsAsync<SchemaOpsException>(() => BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "a.dump")) { PgBinDirectory = empty }));
        Assert.Equal("PgDumpNotFound", missing.ErrorId);
        Assert.Contains("postgresql-client-15", missing.Message);

        // Tools that say they are PostgreSQL 9.6: too old for a 15 server.
        var old = Directory.CreateDirectory(Path.Combine(Dir.Path, "old-bin")).FullName;
        foreach (var tool in new[] { "pg_dump", "pg_restore" })
        {
            var script = Path.Combine(old, tool);
            File.WriteAllText(script, $"#!/bin/sh\necho '{tool} (PostgreSQL) 9.6.24'\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var tooOld = await Assert.ThrowsAsync<SchemaOpsException>(() => BackupAsync(new BackupOptions(Path.Combine(Dir.Path, "b.dump")) { PgBinDirectory = old }));
        Assert.Equal("PgDumpTooOld", tooOld.ErrorId);
        Assert.Empty(Directory.GetFiles(Dir.Path, "*.dump*")); // nothing was written
    }
}
