using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

public class RepairTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private Task<IReadOnlyList<RepairChange>> RepairAsync(Func<MigrationSettings, MigrationSettings>? tweak = null, RecordingSink? sink = null) =>
        RepairOperation.RepairAsync(Request(tweak), sink ?? new RecordingSink(), CancellationToken.None);

    [Fact]
    public async Task Removes_a_failed_row_so_the_fixed_migration_can_run()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (a int);");
        Dir.Write("V2__idx.sql", "CREATE INDEX CONCURRENTLY t_x ON t (nope);");
        await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Dir.Write("V2__idx.sql", "CREATE INDEX CONCURRENTLY t_a ON t (a);");

        var change = Assert.Single(await RepairAsync());

        Assert.Equal((RepairAction.RemovedFailedRow, "2", 2), (change.Action, change.Version?.Text, change.InstalledRank));
        Assert.Single(await HistoryAsync());
        Assert.Equal("2", Assert.Single(await MigrateAsync()).Version?.Text);
    }

    [Fact]
    public async Task Marks_migrations_whose_scripts_are_gone_with_flyways_DELETE_rows_and_validation_passes()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V2__b.sql", "SELECT 2;");
        Dir.Write("R__r.sql", "SELECT 3;");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V1__a.sql"));
        File.Delete(Path.Combine(Dir.Path, "R__r.sql"));
        Assert.Contains(await ValidateAsync(), r => !r.Passed);

        var changes = await RepairAsync();

        Assert.Equal([RepairAction.MarkedDeleted, RepairAction.MarkedDeleted], changes.Select(c => c.Action));
        var history = await HistoryAsync();
        Assert.Equal($"4|1|a|DELETE|V1__a.sql|{Engine.Sources.FlywayChecksum.Compute("SELECT 1;")}|true", history[3]);
        Assert.Equal($"5|-|r|DELETE|R__r.sql|{Engine.Sources.FlywayChecksum.Compute("SELECT 3;")}|true", history[4]);
        Assert.Equal([MigrationState.Deleted, MigrationState.Success, MigrationState.Deleted], (await InfoAsync()).Select(i => i.State));
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed));
        Assert.Empty(await RepairAsync()); // repaired once is repaired
    }

    [Fact]
    public async Task Realigns_checksum_and_description_with_the_files()
    {
        Dir.Write("V1__old_name.sql", "SELECT 1;");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V1__old_name.sql"));
        Dir.Write("V1__new_name.sql", "SELECT 1; -- reformatted");

        var changes = await RepairAsync();

        Assert.Equal([RepairAction.AlignedChecksum, RepairAction.AlignedDescription], changes.Select(c => c.Action));
        Assert.Equal(("old name", "new name"), (changes[1].Before, changes[1].After));
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed));
    }

    [Fact]
    public async Task Future_migrations_are_left_alone_by_default()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V2__b.sql", "SELECT 2;");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V2__b.sql"));
        Assert.Empty(await RepairAsync());
        Assert.Equal(RepairAction.MarkedDeleted, Assert.Single(await RepairAsync(s => s with { IgnoreMigrationPatterns = [] })).Action);
    }

    [Fact]
    public async Task WhatIf_lists_each_change_and_changes_nothing()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        await MigrateAsync();
        Dir.Write("V1__a.sql", "SELECT 10;");
        var before = await HistoryAsync();
        var sink = new RecordingSink(whatIf: true);

        Assert.Empty(await RepairAsync(sink: sink));

        Assert.Contains("Set checksum from", Assert.Single(sink.Questions).Action);
        Assert.Equal(before, await HistoryAsync());
    }
}
