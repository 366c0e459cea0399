namespace SchemaOps.PowerShell.Tests;

/// <summary>Tests that set process environment variables ($env:DATABASE_URL): never in parallel with the others, which share the process.</summary>
[CollectionDefinition(nameof(EnvironmentVariableTests), DisableParallelization = true)]
[Collection(nameof(EnvironmentVariableTests))]
public class EnvironmentVariableTests(PostgresServer server) : ModuleTest(server)
{
    [Fact]
    public void A_backup_pipes_into_its_test_and_restore_and_the_connection_comes_from_DATABASE_URL()
    {
        Run("Invoke-Migration -ConnectionString $db -Path $migrations -Confirm:$false").Succeeded();
        // No -ConnectionString anywhere below: the piped DatabaseBackup's text must not become one.
        Set("url", Server.Url(Db));
        Set("passfile", Server.Passfile);
        Run("$env:DATABASE_URL = $url; $env:PGPASSFILE = $passfile").Succeeded();
        try
        {
            var tested = Assert.Single(Run("Backup-Database b.dump -Confirm:$false | Test-DatabaseBackup -Confirm:$false").Succeeded().Output);
            Assert.True((bool)tested.Properties["Passed"].Value);
            Run("$backup = Backup-Database b2.dump -Confirm:$false").Succeeded();
            Assert.Single(Run("$backup | Restore-Database -Clean -Confirm:$false").Succeeded().Output);
            Assert.Single(Run("Get-Item b.dump | Test-DatabaseBackup -Confirm:$false").Succeeded().Output);
        }
        finally
        {
            Run("Remove-Item Env:DATABASE_URL, Env:PGPASSFILE");
        }
    }
}
