namespace SchemaOps.PowerShell.Tests;

/// <summary>Export-MigrationReport takes whatever a runbook collected: every SchemaOps object has its place in the report.</summary>
public class ReportTests(PostgresServer server) : ModuleTest(server)
{
    [Theory]
    [InlineData("window.md")]
    [InlineData("window.html")]
    [InlineData("window.xml")]
    [InlineData("window.json")]
    public void Every_SchemaOps_output_type_goes_into_the_report(string file)
    {
        Run("$samples = & {" + Samples.Script + "}").Succeeded();
        var written = Assert.Single(Run($"$samples | Export-MigrationReport -Path {file} -Title 'Window 42' -Confirm:$false").Succeeded().Output);
        Assert.False((bool)written.Properties["Succeeded"].Value); // the samples hold failures: a fleet target, a check, a rehearsal
        var text = File.ReadAllText(Path.Combine(Scratch, file));
        if (file.EndsWith(".xml")) return; // JUnit: the failures, checked below
        foreach (var expected in new[] { "V12__add_tariff_to_parking_spots.sql", "require-concurrent-index-creation", "pre-migration-2026-11-25.dump",
                     "undo restores the state before", "parking_spots.tariff_id", "AlignedChecksum", "AccessExclusiveLock", "LockTimeout", "127.0.0.1:54321",
                     "db01.eu-west-1.internal.example:5432", "V19__add_permits.sql", "deployment.html", "2024.11.25.1" })
            Assert.Contains(expected, text);
    }

    [Fact]
    public void JUnit_fails_the_failed_fleet_target_backup_test_and_rehearsal_check()
    {
        Run("$samples = & {" + Samples.Script + "}").Succeeded();
        Run("$samples | Export-MigrationReport -Path junit.xml -Confirm:$false").Succeeded();
        var suites = System.Xml.Linq.XDocument.Load(Path.Combine(Scratch, "junit.xml")).Root!.Elements("testsuite")
            .ToDictionary(s => s.Attribute("name")!.Value, s => int.Parse(s.Attribute("failures")!.Value));
        Assert.Equal(1, suites["fleet"]);
        Assert.Equal(1, suites["rehearsals"]);
        Assert.Equal(1, suites["health"]);
        Assert.Equal(1, suites["validation"]);
    }

    [Fact]
    public void A_foreign_object_is_one_error_and_the_rest_of_the_run_is_still_reported()
    {
        var result = Run("@([SchemaOps.HealthCheck]@{ Name = 'Connectivity'; Passed = $true }, 'just a string', (Get-Item .)) | Export-MigrationReport -Path r.md -Confirm:$false");
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("UnsupportedReportInput,", e.FullyQualifiedErrorId));
        Assert.Contains("Connectivity", File.ReadAllText(Path.Combine(Scratch, "r.md")));
    }

    [Fact]
    public void A_failed_migration_and_its_restore_make_a_report()
    {
        Write("set/V1__ok.sql", "CREATE TABLE ok (id int);");
        Write("set/V2__bad.sql", "SELECT 1/0;");
        var report = Run("""
            $log = [System.Collections.Generic.List[object]]::new()
            Invoke-Migration -ConnectionString $db -Path set -Confirm:$false -Target 1 | ForEach-Object { $log.Add($_) }
            $backup = Backup-Database -ConnectionString $db -Path pre.dump -Confirm:$false
            $log.Add($backup)
            try { Invoke-Migration -ConnectionString $db -Path set -Confirm:$false -ErrorAction Stop | ForEach-Object { $log.Add($_) } }
            catch { $backup | Restore-Database -ConnectionString $db -Clean -Confirm:$false | ForEach-Object { $log.Add($_) } }
            $log | Export-MigrationReport -Path failed.md -Title 'FAILED and restored' -Confirm:$false
            """).Succeeded();
        var text = File.ReadAllText(Path.Combine(Scratch, "failed.md"));
        Assert.Contains("## Restores", text);
        Assert.Contains("## Backup", text);
        Assert.Contains("## Migrations", text);
        Assert.Contains("division by zero", text);
        Assert.False((bool)Assert.Single(report.Output).Properties["Succeeded"].Value);
    }
}
