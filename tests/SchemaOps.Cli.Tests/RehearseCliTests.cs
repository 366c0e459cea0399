using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SchemaOps.Cli.Tests;

/// <summary>`schemaops rehearse`: the README's main job, its exit codes and JSON, and that its throwaway server never outlives it.</summary>
public class RehearseCliTests : IDisposable
{
    private static readonly string Examples = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples"));
    private static readonly string EphemeralBase = SchemaOps.Engine.Ephemeral.EphemeralStorage.Choose();
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Running (a zombie waiting to be reaped by the container's init is gone for our purposes).</summary>
    private static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat") is var stat && stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false;

    [Fact]
    public async Task The_example_rehearses_clean_with_a_summary_and_the_faulty_copy_exits_1()
    {
        var good = await CliProcess.RunAsync(["rehearse", Path.Combine(Examples, "parking/db/migration")], new Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://nobody@192.0.2.1/never" });
        Assert.True(good.ExitCode == 0, good.Stdout + good.Stderr);   // DATABASE_URL is never a rehearsal's target: a throwaway server is
        Assert.Contains("rehearsal PASSED", good.Stdout);
        Assert.Contains("undo restores the state before", good.Stderr);

        var report = Path.Combine(_dir.Path, "rehearsal.xml");
        var bad = await CliProcess.RunAsync(["rehearse", Path.Combine(Examples, "parking-faulty/db/migration"), "--slow", "1s", "--json", "--report", report]);
        Assert.Equal(1, bad.ExitCode);
        var result = JsonDocument.Parse(bad.Stdout).RootElement[0];
        Assert.Equal("FAILED", result.GetProperty("verdict").GetString());
        Assert.Equal(["lint", "slow migrations", "undo"], result.GetProperty("checks").EnumerateArray()
            .Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("name").GetString()));
        Assert.Contains("failures=\"3\"", File.ReadAllText(report)); // the JUnit report for CI
    }

    [Fact]
    public async Task The_slow_threshold_and_lint_level_come_from_the_environment_when_not_given()
    {
        var run = await CliProcess.RunAsync(["rehearse", Path.Combine(Examples, "parking-faulty/db/migration"), "--json"],
            new Dictionary<string, string?> { ["SCHEMAOPS_SLOW_THRESHOLD"] = "1s", ["SCHEMAOPS_LINT_LEVEL"] = "error" });
        Assert.True(run.ExitCode == 1, run.ToString());
        var result = JsonDocument.Parse(run.Stdout).RootElement[0];
        Assert.Equal(1, result.GetProperty("slowThresholdSeconds").GetDouble());
        // The faulty DROP COLUMN is a warning: below the error level, so only the slow migration and the undo fail.
        Assert.Equal(["slow migrations", "undo"], result.GetProperty("checks").EnumerateArray()
            .Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task SCHEMAOPS_EPHEMERAL_DIR_decides_where_the_throwaway_server_lives_and_nothing_but_the_template_stays()
    {
        var place = Path.Combine(_dir.Path, "clusters");
        var run = await CliProcess.RunAsync(["rehearse", Path.Combine(Examples, "parking/db/migration")], new Dictionary<string, string?> { ["SCHEMAOPS_EPHEMERAL_DIR"] = place });
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(["template"], Directory.GetDirectories(place).Select(d => Path.GetFileName(d).Split('-')[0])); // the cached template, no cluster
    }

    [Fact]
    public async Task Bad_input_is_a_usage_error()
    {
        Assert.Equal(2, (await CliProcess.RunAsync(["rehearse", _dir.Path, "--slow", "soon"])).ExitCode);
        Assert.Equal(2, (await CliProcess.RunAsync(["rehearse", _dir.Path, "--lint-level", "loud"])).ExitCode);
        Assert.Equal(2, (await CliProcess.RunAsync(["rehearse", Path.Combine(_dir.Path, "missing")])).ExitCode);
    }

    /// <summary>Starts a rehearsal stuck in a 60 s migration and returns it with its cluster folder and postmaster pid once the server is up.</summary>
    private async Task<(Process Runner, string Cluster, int Postmaster)> StartStuckRehearsalAsync()
    {
        _dir.Write("V1__slow.sql", "SELECT pg_sleep(60);");
        var runner = CliProcess.Start(["rehearse", _dir.Path]);
        _ = runner.StandardOutput.ReadToEndAsync();
        _ = runner.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var cluster = Directory.Exists(EphemeralBase) ? Directory.GetDirectories(EphemeralBase, $"cluster-{runner.Id}-*").FirstOrDefault() : null;
            var pidFile = cluster is null ? null : Path.Combine(cluster, "data", "postmaster.pid");
            if (pidFile is not null && File.Exists(pidFile) && File.ReadAllLines(pidFile) is { Length: >= 8 } lines && lines[7].Trim() == "ready")
            {
                await Task.Delay(1500); // into the slow migration
                return (runner, cluster!, int.Parse(lines[0]));
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the rehearsal's throwaway server never came up");
    }

    [Theory]
    [InlineData(2)]  // SIGINT, as Ctrl+C sends
    [InlineData(15)] // SIGTERM, as systemd, Kubernetes and CI runners send
    [InlineData(1)]  // SIGHUP: the terminal went away
    public async Task A_signal_stops_the_rehearsal_and_removes_its_server_folder_and_process(int signal)
    {
        var (runner, cluster, postmaster) = await StartStuckRehearsalAsync();
        using (runner)
        {
            Assert.Equal(0, kill(runner.Id, signal));
            Assert.True(runner.WaitForExit(30_000));
            Assert.Equal(128 + signal, runner.ExitCode);
        }
        Assert.False(Directory.Exists(cluster));
        Assert.False(Alive(postmaster));
    }

    [Fact]
    public async Task After_the_owner_is_killed_the_next_start_removes_its_orphaned_server()
    {
        var (runner, cluster, postmaster) = await StartStuckRehearsalAsync();
        using (runner)
        {
            runner.Kill(); // SIGKILL: no handler runs
            Assert.True(runner.WaitForExit(30_000));
        }
        Assert.True(Alive(postmaster));          // orphaned, as after a crash
        await using (await Engine.Ephemeral.EphemeralPostgres.StartAsync()) { }
        Assert.False(Directory.Exists(cluster));
        for (var i = 0; i < 100 && Alive(postmaster); i++) await Task.Delay(50);
        Assert.False(Alive(postmaster));
    }
}
