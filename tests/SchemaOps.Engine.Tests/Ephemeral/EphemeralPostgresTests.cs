using Npgsql;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Engine.Tests.Ephemeral;

public class EphemeralPostgresTests
{
    [Fact]
    public async Task Starts_a_loopback_server_with_a_password_and_removes_everything_on_dispose()
    {
        string directory;
        int postmaster;
        await using (var pg = await EphemeralPostgres.StartAsync())
        {
            directory = pg.Directory;
            postmaster = pg.ProcessId;
            Assert.DoesNotContain(pg.Password, pg.ConnectionString());                // the password stays in the passfile
            Assert.True(File.Exists(Path.Combine(directory, $".s.PGSQL.{pg.Port}")));  // its own socket folder
            await using var conn = new NpgsqlConnection(pg.ConnectionString());
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT current_setting('listen_addresses') || ' ' || current_setting('fsync')", conn);
            Assert.Equal("127.0.0.1 off", await cmd.ExecuteScalarAsync());

            var wrong = new NpgsqlConnectionStringBuilder(pg.ConnectionString()) { Password = "wrong", Pooling = false };
            await using var bad = new NpgsqlConnection(wrong.ConnectionString);
            var e = await Assert.ThrowsAsync<PostgresException>(() => bad.OpenAsync());
            Assert.Equal("28P01", e.SqlState);
        }
        Assert.False(Directory.Exists(directory));
        Assert.False(File.Exists($"/proc/{postmaster}/stat"));
    }

    [Fact]
    public async Task Two_clusters_run_side_by_side_on_different_ports()
    {
        await using var a = await EphemeralPostgres.StartAsync();
        await using var b = await EphemeralPostgres.StartAsync();
        Assert.NotEqual(a.Port, b.Port);
        Assert.NotEqual(a.Directory, b.Directory);
    }

    [Fact]
    public async Task Its_major_version_is_read_from_the_data_folder_and_matches_the_binary()
    {
        await using var pg = await EphemeralPostgres.StartAsync();
        Assert.Equal(pg.Installation.MajorVersion, pg.MajorVersion);
        Assert.True(pg.StartDuration > TimeSpan.Zero);
    }

    [Fact]
    public void A_cluster_expecting_more_data_than_memory_can_hold_goes_on_disk()
    {
        var onDisk = EphemeralStorage.Choose(expectedDataBytes: 1L << 50); // a petabyte backup
        Assert.StartsWith(Path.GetTempPath(), onDisk);
        if (Environment.GetEnvironmentVariable(EphemeralStorage.OverrideVariable) is null && new DriveInfo("/dev/shm") is { DriveType: DriveType.Ram, AvailableFreeSpace: > 2L << 30 })
            Assert.StartsWith("/dev/shm/", EphemeralStorage.Choose()); // small: in memory when there is room
    }

    [SkippableFact] // needs root to mount a small file system; skipped, not passed, without
    public async Task A_full_file_system_is_a_clear_error_and_leaves_no_half_cluster()
    {
        // Room for the template (about 40 MB), not for a copy of it.
        await using var small = await SmallFileSystem.MountAsync("60m");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => EphemeralPostgres.StartAsync(new EphemeralOptions(BaseDirectory: small.Path)));
        Assert.Equal("EphemeralFolderUnusable", e.ErrorId);
        Assert.Contains(EphemeralStorage.OverrideVariable, e.Message);
        Assert.Empty(Directory.GetDirectories(small.Path, "cluster-*"));
        Assert.Single(Directory.GetDirectories(small.Path, "template-*")); // the cached template is kept
    }

    [Fact]
    public void Missing_binaries_give_a_clear_error_with_how_to_install()
    {
        var e = Assert.Throws<SchemaOpsException>(() => PostgresInstallation.Find("/nonexistent/pg/bin"));
        Assert.Equal("PostgresBinariesNotFound", e.ErrorId);
        Assert.Contains("apt-get install postgresql", e.Message);
    }

    [Fact]
    public async Task A_cluster_left_by_a_dead_process_is_removed_on_next_start()
    {
        var baseDir = EphemeralStorage.Choose();
        Directory.CreateDirectory(baseDir);
        // pid 2^22+1 is above Linux's default pid_max, so no live process owns it.
        var stale = Path.Combine(baseDir, "cluster-4194305-deadbeef");
        Directory.CreateDirectory(Path.Combine(stale, "data"));
        await using (await EphemeralPostgres.StartAsync()) { }
        Assert.False(Directory.Exists(stale));
    }
}
