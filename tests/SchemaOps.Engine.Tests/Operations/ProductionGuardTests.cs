using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>A production database: undo and repair need explicit confirmation and change nothing without it; what-if needs none.</summary>
public class ProductionGuardTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static MigrationSettings Production(MigrationSettings s) => s with { Environment = "live", Production = true };

    [Fact]
    public async Task Undo_in_production_needs_confirmation_and_changes_nothing_without_it()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        await MigrateAsync();
        var before = await HistoryAsync();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => UndoOperation.UndoAsync(Request(Production), UndoScope.Last(1), new RecordingSink(), CancellationToken.None));
        Assert.Equal("ProductionConfirmationRequired", e.ErrorId);
        Assert.Contains("'live'", e.Message);
        Assert.True(await TableExistsAsync("a"));
        Assert.Equal(before, await HistoryAsync());

        var whatIf = new RecordingSink(whatIf: true);
        Assert.Empty(await UndoOperation.UndoAsync(Request(Production), UndoScope.Last(1), whatIf, CancellationToken.None));
        Assert.Single(whatIf.Questions); // the plan is shown; nothing asked for confirmation

        var undone = await UndoOperation.UndoAsync(Request(s => Production(s) with { ProductionConfirmed = true }), UndoScope.Last(1), new RecordingSink(), CancellationToken.None);
        Assert.Single(undone);
        Assert.False(await TableExistsAsync("a"));
    }

    [Fact]
    public async Task Repair_in_production_needs_confirmation()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await MigrateAsync();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int); -- edited");
        var before = await HistoryAsync();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => RepairOperation.RepairAsync(Request(Production), new RecordingSink(), CancellationToken.None));
        Assert.Equal("ProductionConfirmationRequired", e.ErrorId);
        Assert.Equal(before, await HistoryAsync());

        Assert.Single(await RepairOperation.RepairAsync(Request(s => Production(s) with { ProductionConfirmed = true }), new RecordingSink(), CancellationToken.None));
        Assert.NotEqual(before, await HistoryAsync());
    }

    [Fact]
    public async Task Clean_stays_refused_in_production_even_when_enabled_and_confirmed()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await MigrateAsync();
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() =>
            CleanOperation.CleanAsync(Request(s => Production(s) with { CleanEnabled = true, ProductionConfirmed = true }), new RecordingSink(), CancellationToken.None));
        Assert.Equal("CleanRefusedInProduction", e.ErrorId);
        Assert.True(await TableExistsAsync("a"));
    }
}
