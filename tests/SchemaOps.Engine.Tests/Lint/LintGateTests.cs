using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Lint;

/// <summary>Invoke-Migration -LintLevel: pending migrations with findings at the level stop the run before anything changes.</summary>
public class LintGateTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    [Fact]
    public async Task A_pending_migration_with_a_finding_at_the_level_stops_the_run_and_applied_ones_do_not_count()
    {
        Dir.Write("V1__accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);");
        await MigrateAsync(s => s with { LintLevel = LintSeverity.Warning });
        Dir.Write("V2__index.sql", "CREATE INDEX accounts_email ON accounts (email);"); // accounts already exists in the database, but V1 created it in this set
        Dir.Write("V3__risky.sql", "ALTER TABLE legacy ADD COLUMN level int NOT NULL;");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { LintLevel = LintSeverity.Error }));

        Assert.Equal("LintFailed", e.ErrorId);
        Assert.Contains("V3__risky.sql:1", e.Message);
        Assert.Contains("[adding-required-field]", e.Message);
        Assert.DoesNotContain("V2__index", e.Message); // created earlier in the set: no CONCURRENTLY needed
        Assert.Single(await HistoryAsync()); // nothing applied, not even V2

        File.Delete(Path.Combine(Dir.Path, "V3__risky.sql"));
        Assert.Single(await MigrateAsync(s => s with { LintLevel = LintSeverity.Warning }));
    }
}
