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
        Dir.Write("V2__index.sql", "-- squawk-ignore require-concurrent-index-creation\nCREATE INDEX accounts_email ON accounts (email);");
        Dir.Write("V3__risky.sql", "ALTER TABLE legacy ADD COLUMN level int NOT NULL;");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { LintLevel = LintSeverity.Error }));

        Assert.Equal("LintFailed", e.ErrorId);
        Assert.Contains("V3__risky.sql:1", e.Message);
        Assert.Contains("[adding-required-field]", e.Message);
        Assert.DoesNotContain("V1__accounts", e.Message); // applied: its findings are history
        Assert.DoesNotContain("V2__index", e.Message);    // suppressed where intended
        Assert.Single(await HistoryAsync()); // nothing applied, not even V2

        File.Delete(Path.Combine(Dir.Path, "V3__risky.sql"));
        Assert.Single(await MigrateAsync(s => s with { LintLevel = LintSeverity.Warning }));
    }

    [Fact]
    public async Task A_table_created_by_an_applied_migration_counts_as_existing_one_created_by_a_pending_one_as_new()
    {
        Dir.Write("V1__accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);");
        await MigrateAsync();
        // accounts has been live (and filling up) since V1 was applied: a plain CREATE INDEX locks its writes.
        Dir.Write("V2__index.sql", "CREATE INDEX accounts_email ON accounts (email);");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { LintLevel = LintSeverity.Warning }));
        Assert.Contains("V2__index.sql:1", e.Message);
        Assert.Contains("[require-concurrent-index-creation]", e.Message);
        Assert.Single(await HistoryAsync());

        // The same index on a table created by a migration pending in the same run: the table is empty, no alarm.
        File.Delete(Path.Combine(Dir.Path, "V2__index.sql"));
        Dir.Write("V2__invoices.sql", "CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint);");
        Dir.Write("V3__index.sql", "CREATE INDEX invoices_account ON invoices (account_id);");
        Assert.Equal(2, (await MigrateAsync(s => s with { LintLevel = LintSeverity.Warning })).Count);
    }
}
