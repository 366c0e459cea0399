namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// Rules the engine decides once, as the cmdlets meet them; the CLI's side is in the CLI suite
/// (Rules_decided_in_the_engine_read_the_same_in_the_CLI), with the same error ids.
/// </summary>
public class EngineRuleTests(PostgresServer server) : ModuleTest(server)
{
    [Fact]
    public void A_throttle_limit_makes_a_fleet_of_one_and_a_fleet_refuses_a_dry_run()
    {
        var one = Run("Invoke-Migration -ConnectionString $db -Path $migrations -ThrottleLimit 2 -Confirm:$false").Succeeded();
        Assert.Equal("SchemaOps.FleetResult", Assert.Single(one.Output).TypeNames[0]);

        // -ThrottleLimit and -DryRun are in different parameter sets; several environments make the fleet here.
        Write("schemaops.json", System.Text.Json.JsonSerializer.Serialize(new { environments = new { a = new { url = Db }, b = new { url = Db } } }));
        var dryRun = Run("Invoke-Migration -Environment a, b -Path $migrations -DryRun -OutFile plan.sql");
        Assert.StartsWith("FleetDryRun,", (dryRun.Terminating?.ErrorRecord ?? Assert.Single(dryRun.Errors)).FullyQualifiedErrorId);
        Assert.False(File.Exists(Path.Combine(Scratch, "plan.sql")));
    }

    [Fact]
    public void CreateDatabase_creates_a_missing_database_before_migrating_and_WhatIf_creates_nothing()
    {
        var name = "created_" + Guid.NewGuid().ToString("N")[..12];
        var fresh = new Npgsql.NpgsqlConnectionStringBuilder(Db) { Database = name }.ConnectionString;
        Set("fresh", fresh);
        var whatIf = Run("Invoke-Migration -ConnectionString $fresh -Path $migrations -CreateDatabase -WhatIf").Succeeded();
        Assert.Contains("does not exist yet", Assert.Single(whatIf.Warnings));
        Assert.Equal(0L, Scalar<long>($"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));

        var applied = Run("Invoke-Migration -ConnectionString $fresh -Path $migrations -CreateDatabase -Confirm:$false").Succeeded();

        Assert.Equal(20, applied.Output.Count);
        Assert.Equal(1L, Scalar<long>($"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
    }

    [Fact]
    public void A_target_and_out_of_order_in_the_config_hold_for_every_cmdlet_and_a_parameter_beats_them()
    {
        // Get-MigrationStatus set OutOfOrder from its switch alone (false over the config's true), and the config's
        // target was skipped with a warning: Invoke-Migration applied past it.
        foreach (var v in new[] { 1, 2, 3, 4, 5, 6 }) Write($"db/V{v}__t{v}.sql", $"CREATE TABLE t{v} (id int);");
        Write("schemaops.json", """{ "target": "3", "outOfOrder": true, "locations": ["db"] }""");
        var applied = Run("Invoke-Migration -ConnectionString $db -Confirm:$false").Succeeded();
        Assert.Empty(applied.Warnings);
        Assert.Equal(3, Scalar<int>("SELECT max(version::int) FROM flyway_schema_history"));

        Run("$null = Invoke-Migration -ConnectionString $db -Target 5 -Confirm:$false").Succeeded();
        Assert.Equal(5, Scalar<int>("SELECT max(version::int) FROM flyway_schema_history"));
        Scalar<object>("DELETE FROM flyway_schema_history WHERE version = '4'"); // as if V4 came later, from another branch
        var status = Run("Get-MigrationStatus -ConnectionString $db -Target 4").Succeeded().Output;
        string StateOf(string version) => status.Single(o => o.Properties["Version"].Value?.ToString() == version).Properties["State"].Value.ToString()!;
        Assert.Equal("Pending", StateOf("4")); // out of order, as the config says: not Ignored
        Assert.Equal("AboveTarget", StateOf("6")); // the parameter's target, not the config's
    }

    [Fact]
    public void Mixed_lets_a_script_mix_CONCURRENTLY_with_other_changes_and_without_it_nothing_runs()
    {
        Write("db/V1__t.sql", "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");
        var refused = Run("Invoke-Migration -ConnectionString $db -Path db -Confirm:$false");
        Assert.StartsWith("MixedTransactionMode,", (refused.Terminating?.ErrorRecord ?? Assert.Single(refused.Errors)).FullyQualifiedErrorId);
        Assert.Equal(0L, AppliedCount());
        var lint = Run("Test-MigrationScript db").Succeeded().Output;
        Assert.Contains(lint, f => f.Properties["RuleId"].Value.ToString() == "transaction-mode");
        Assert.DoesNotContain(Run("Test-MigrationScript db -Mixed").Succeeded().Output, f => f.Properties["RuleId"].Value.ToString() == "transaction-mode");

        Assert.Single(Run("Invoke-Migration -ConnectionString $db -Path db -Mixed -Confirm:$false").Succeeded().Output);
        Assert.Equal(1L, AppliedCount());
    }

    [Fact]
    public void In_a_dbmate_folder_an_older_pending_version_is_applied_and_OutOfOrder_false_refuses_it_as_dbmate_strict()
    {
        Write("dbm/20240101000000_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        Write("dbm/20240301000000_c.sql", "-- migrate:up\nCREATE TABLE c (id int);\n-- migrate:down\nDROP TABLE c;\n");
        Run("$null = Invoke-Migration -ConnectionString $db -Path dbm -Confirm:$false").Succeeded();
        Write("dbm/20240201000000_b.sql", "-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n");

        var strict = Run("Invoke-Migration -ConnectionString $db -Path dbm -OutOfOrder:$false -Confirm:$false");
        Assert.StartsWith("ValidationFailed,", (strict.Terminating?.ErrorRecord ?? Assert.Single(strict.Errors)).FullyQualifiedErrorId);
        Assert.Equal("Pending", Run("Get-MigrationStatus -ConnectionString $db -Path dbm").Succeeded().Output
            .Single(o => o.Properties["Version"].Value.ToString() == "20240201000000").Properties["State"].Value.ToString());
        Assert.Single(Run("Invoke-Migration -ConnectionString $db -Path dbm -Confirm:$false").Succeeded().Output);
    }

    [Fact]
    public void Restore_refuses_creating_and_cleaning_at_once()
    {
        var r = Run("Restore-Database -Path nothere.dump -ConnectionString $db -CreateDatabase -Clean -Confirm:$false");
        Assert.StartsWith("RestoreCreateAndClean,", (r.Terminating?.ErrorRecord ?? Assert.Single(r.Errors)).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_password_in_the_connection_text_is_warned_about_without_being_shown()
    {
        var r = Run("Get-MigrationStatus -ConnectionString 'postgres://app:Sup3rSecret@127.0.0.1:1/none' -Path $migrations -ErrorAction SilentlyContinue");
        var warning = Assert.Single(r.Warnings);
        Assert.Contains("holds a password", warning);
        Assert.DoesNotContain("Sup3rSecret", warning);
        Assert.Empty(Run("Get-MigrationStatus -ConnectionString $db -Path $migrations").Succeeded().Warnings);
    }

    [Fact]
    public void A_test_restore_on_a_throwaway_server_reads_the_config_as_every_other_cmdlet()
    {
        // The backup's snapshot covers the configured schema only: a test that ignored the config compared other schemas.
        Write("db/V1__app.sql", "CREATE TABLE app.t (id int); INSERT INTO app.t VALUES (1);");
        Write("schemaops.json", """{ "schemas": ["app"], "locations": ["db"] }""");
        Run("Invoke-Migration -ConnectionString $db -Confirm:$false").Succeeded();
        var tested = Assert.Single(Run("Backup-Database b.dump -ConnectionString $db -Confirm:$false | Test-DatabaseBackup -Ephemeral -Confirm:$false").Succeeded().Output);
        Assert.True((bool)tested.Properties["Passed"].Value, string.Join("; ", ((System.Collections.IEnumerable)tested.Properties["Differences"].Value).Cast<object>()));
        Assert.Equal(1, (int)tested.Properties["TablesChecked"].Value);
    }
}
