using System.Management.Automation;

namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// A pipeline that stops (Select-Object -First, Ctrl+C, a host that cannot answer a question) stops the engine:
/// nothing changes after the cmdlet returns, and what was applied was written to the pipeline.
/// </summary>
public class StoppingTests(PostgresServer server) : ModuleTest(server)
{
    /// <summary>Five migrations of ~0.3 s each: time enough for a runaway engine to apply more after the cmdlet returned.</summary>
    private void SlowSet()
    {
        for (var i = 1; i <= 5; i++) Write($"slow/V{i}__step{i}.sql", $"CREATE TABLE step{i} (id int);\nSELECT pg_sleep(0.3);");
    }

    [Fact]
    public void Select_First_stops_the_run_after_the_first_migration_and_nothing_commits_afterwards()
    {
        SlowSet();
        var first = Run("Invoke-Migration -ConnectionString $db -Path slow -Confirm:$false | Select-Object -First 1").Succeeded();
        Assert.Single(first.Output);
        Assert.Equal(1, AppliedCount());
        Thread.Sleep(1500); // a runaway engine would apply V2..V5 meanwhile
        Assert.Equal(1, AppliedCount());
        // No session of the engine's left (they name themselves schemaops). Not "no client session": the test's own
        // connection of a moment ago (AppliedCount) may still be ending on a loaded machine, and an autovacuum worker
        // visiting the database (it just gained tables) is the server's own.
        Assert.Equal(0, Scalar<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'schemaops'"));
    }

    [Fact]
    public void Ctrl_C_rolls_back_the_migration_in_progress_and_everything_applied_was_reported()
    {
        SlowSet();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Pwsh.Runspace;
        ps.AddScript("Invoke-Migration -ConnectionString $db -Path slow -Confirm:$false");
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        SpinWait.SpinUntil(() => output.Count >= 2, TimeSpan.FromSeconds(30));
        ps.Stop(); // what Ctrl+C does in pwsh
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
        var reported = output.Count;
        Assert.InRange(reported, 2, 4);
        Assert.Equal(reported, AppliedCount());
        Thread.Sleep(1000);
        Assert.Equal(reported, AppliedCount());
        Assert.Equal(0, Scalar<long>("SELECT count(*) FROM flyway_schema_history WHERE NOT success"));
    }

    [Fact]
    public void A_question_the_host_cannot_ask_fails_as_PowerShell_s_own_cmdlets_fail_and_changes_nothing()
    {
        Write("set/V1__a.sql", "CREATE TABLE a (id int);");
        // The test host cannot prompt, like pwsh -NonInteractive: what does PowerShell's own cmdlet say then?
        var theirs = Run("$ConfirmPreference = 'Low'; New-Item -ItemType File -Path x.txt").FirstError!;
        var ours = Run("$ConfirmPreference = 'Low'; Invoke-Migration -ConnectionString $db -Path set").FirstError!;
        Assert.Equal(theirs.Exception.GetType(), ours.Exception.GetType());
        Assert.Equal(theirs.FullyQualifiedErrorId.Split(',')[0], ours.FullyQualifiedErrorId.Split(',')[0]);
        Assert.DoesNotContain("UnexpectedError", ours.FullyQualifiedErrorId);
        Assert.Equal(0, AppliedCount());
    }
}

/// <summary>
/// Ctrl+C during a drift check: its throwaway server goes with it. Runs in the collection that never runs beside the
/// others, so the one new cluster folder of this process is the drift check's.
/// </summary>
[Collection(nameof(EnvironmentVariableTests))]
public class DriftStoppingTests(PostgresServer server) : ModuleTest(server)
{
    private static bool Ready(string cluster) => File.Exists(Path.Combine(cluster, "data", "postmaster.pid"))
        && File.ReadAllLines(Path.Combine(cluster, "data", "postmaster.pid")) is { Length: >= 8 } lines && lines[7].Trim() == "ready";

    [Fact]
    public void Ctrl_C_during_a_drift_check_removes_its_throwaway_server_and_changes_nothing()
    {
        // Slow only where it is replayed: on the drift check's throwaway server, not on the live one.
        Write("drift/V1__t.sql", $"CREATE TABLE t (id int);\nDO $$ BEGIN IF current_setting('port')::int <> {Server.Port} THEN PERFORM pg_sleep(60); END IF; END $$;\n");
        Run("Invoke-Migration -ConnectionString $db -Path drift -Confirm:$false").Succeeded();
        string[] Clusters() => Directory.GetDirectories(Server.ClustersFolder, $"cluster-{Environment.ProcessId}-*");
        var before = Clusters();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Pwsh.Runspace;
        ps.AddScript("Test-SchemaDrift -ConnectionString $db -Path drift");
        var running = ps.BeginInvoke();
        string? cluster = null;
        SpinWait.SpinUntil(() => (cluster = Clusters().Except(before).FirstOrDefault(Ready)) is not null, TimeSpan.FromSeconds(60));
        Assert.NotNull(cluster);
        Thread.Sleep(1500); // into the slow replay
        Assert.False(running.IsCompleted);

        ps.Stop(); // what Ctrl+C does in pwsh
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));

        Assert.False(Directory.Exists(cluster));
        Assert.Equal(1, AppliedCount());
    }
}
