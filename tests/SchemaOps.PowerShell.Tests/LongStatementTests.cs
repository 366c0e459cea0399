using System.Management.Automation;

namespace SchemaOps.PowerShell.Tests;

/// <summary>No client-side limit on a migration's statements; a limit is the server's statement_timeout, and a failed migration.</summary>
public class LongStatementTests(PostgresServer server) : ModuleTest(server)
{
    [Fact]
    public void A_statement_longer_than_30_seconds_runs_to_its_end()
    {
        Write("set/V1__backfill.sql", "CREATE TABLE a (id int);\nSELECT pg_sleep(31);\n");
        var result = Run("Invoke-Migration -ConnectionString $db -Path set -Confirm:$false").Succeeded();
        Assert.Equal("Applied", Assert.Single(result.Output).Properties["Outcome"].Value.ToString());
    }

    [Fact]
    public void A_statement_timeout_is_a_failed_migration_with_its_own_error_id()
    {
        Write("set/V1__slow.sql", "CREATE TABLE a (id int);\nSELECT pg_sleep(5);\n");
        var error = Run("Invoke-Migration -ConnectionString $db -Path set -StatementTimeout 1s -Confirm:$false").FirstError!;
        Assert.Equal("MigrationStatementTimeout,SchemaOps.Commands.InvokeMigrationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.EndsWith("V1__slow.sql", error.TargetObject?.ToString());
        Assert.Equal(0, AppliedCount());
    }
}
