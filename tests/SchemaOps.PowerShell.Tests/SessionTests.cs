using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SchemaOps.PowerShell.Tests;

/// <summary>Throwaway servers belong to the runspace that started them; tab completion works where PowerShell runs it.</summary>
public class SessionTests(PostgresServer server) : ModuleTest(server)
{
    [Fact]
    public void A_runspace_removes_only_its_own_servers_and_a_closed_runspace_takes_its_servers_with_it()
    {
        using var other = new Pwsh();
        var theirs = Assert.Single(other.Run("New-EphemeralDatabase -Confirm:$false").Succeeded().Output);
        var mine = Assert.Single(Run("New-EphemeralDatabase -Confirm:$false").Succeeded().Output);

        var removed = Run("Remove-EphemeralDatabase -All -PassThru -Confirm:$false").Succeeded().Output;
        Assert.Equal(mine.Properties["Id"].Value, Assert.Single(removed).Properties["Id"].Value);
        var theirData = (string)theirs.Properties["DataDirectory"].Value;
        Assert.True(Directory.Exists(theirData), "another runspace's server was removed");
        var refused = Run($"Remove-EphemeralDatabase -Id {theirs.Properties["Id"].Value} -Confirm:$false");
        Assert.StartsWith("EphemeralDatabaseNotFound,", Assert.Single(refused.Errors).FullyQualifiedErrorId);

        var pid = (int)theirs.Properties["ProcessId"].Value;
        other.Dispose(); // the runspace closes: its server goes with it, not at process exit
        Assert.False(Directory.Exists(theirData));
        Assert.True(ProcessGone(pid));
    }

    [Fact]
    public void Tab_completion_offers_versions_environments_and_patterns_from_the_current_location()
    {
        Write("project/db/migration/V1__a.sql", "SELECT 1;");
        Write("project/db/migration/V2__b.sql", "SELECT 1;");
        Write("project/schemaops.json", """{ "environments": { "staging": { "url": "postgres://app@staging/shop" }, "production": { "url": "postgres://app@prod/shop" } } }""");
        Run("Set-Location project").Succeeded();
        Assert.Equal(["2", "1"], Complete("Invoke-Migration -Target "));
        Assert.Equal(["2", "1"], Complete("Get-MigrationStatus -Path ./db/migration -Target "));
        Assert.Equal(["production"], Complete("Invoke-Migration -Environment pro"));
        Assert.Contains("*:pending", Complete("Test-MigrationChecksum -IgnoreMigrationPattern "));
    }

    [Fact]
    public void In_a_dbmate_project_completion_New_Migration_and_the_env_file_work_from_the_current_location()
    {
        Write("dbmate-project/db/migrations/20240101000000_users.sql", "-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n");
        Run("Set-Location dbmate-project").Succeeded();
        Assert.Equal(["20240101000000"], Complete("Invoke-Migration -Target "));
        var created = Assert.Single(Run("New-Migration 'add email' -Confirm:$false").Succeeded().Output);
        var path = (string)created.Properties["Path"].Value;
        Assert.Equal(Path.Combine(Scratch, "dbmate-project", "db", "migrations"), Path.GetDirectoryName(path));
        Assert.Matches(@"^\d{14}_add_email\.sql$", Path.GetFileName(path));
        Assert.Contains("-- migrate:down", File.ReadAllText(path));

        // The project's .env names the database, as dbmate reads it: the cmdlets find it from the current location.
        var password = File.ReadAllText(Server.Passfile).Trim().Split(':')[^1];
        Write("dbmate-project/.env", $"DATABASE_URL={Server.Url(Db).Replace("@", $":{Uri.EscapeDataString(password)}@")}\n");
        var status = Run("Get-MigrationStatus").Succeeded().Output;
        Assert.Equal(["Pending", "Pending"], status.Select(s => s.Properties["State"].Value.ToString()));
        Run("Invoke-Migration -Confirm:$false").Succeeded();
        Assert.Equal(2L, Scalar<long>("SELECT count(*) FROM schema_migrations"));
    }

    private List<string> Complete(string input)
    {
        var result = Run($"(TabExpansion2 -inputScript '{input}' -cursorColumn {input.Length}).CompletionMatches.CompletionText").Succeeded();
        return result.Output.Select(o => o.ToString()).ToList();
    }

    private static bool ProcessGone(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited || p.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
