using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Operations;

public class UndoTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private Task<IReadOnlyList<MigrationResult>> UndoAsync(UndoScope scope, RecordingSink? sink = null) =>
        UndoOperation.UndoAsync(Request(), scope, sink ?? new RecordingSink(), CancellationToken.None);

    private void WriteSet()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");
        Dir.Write("U2__b.sql", "DROP TABLE b;");
        Dir.Write("V3__c.sql", "CREATE TABLE c (id int);");
        Dir.Write("U3__c.sql", "DROP TABLE c;");
    }

    [Fact]
    public async Task An_empty_U_file_undoes_as_a_no_op_with_a_note()
    {
        WriteSet();
        Dir.Write("V4__backfill.sql", "INSERT INTO c VALUES (1);");
        Dir.Write("U4__backfill.sql", "-- the backfilled rows stay\n");
        await MigrateAsync();
        var sink = new RecordingSink();

        var undone = await UndoAsync(UndoScope.Last(1), sink);

        Assert.Equal(MigrationOutcome.Applied, Assert.Single(undone).Outcome);
        Assert.Contains(sink.Warnings, w => w.StartsWith("V4: its undo script") && w.Contains("runs no statement"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM c"));
        Assert.Contains(("4", MigrationState.Undone), (await InfoAsync()).Select(i => (i.Version?.Text, i.State)));
    }

    [Fact]
    public async Task Undoes_the_last_n_in_reverse_applied_order_with_UNDO_SQL_rows()
    {
        WriteSet();
        await MigrateAsync();

        var undone = await UndoAsync(UndoScope.Last(2));

        Assert.Equal(["3", "2"], undone.Select(r => r.Version?.Text));
        Assert.All(undone, r => Assert.Equal(MigrationKind.Undo, r.Kind));
        var history = await HistoryAsync();
        Assert.Equal($"4|3|c|UNDO_SQL|U3__c.sql|{FlywayChecksum.Compute("DROP TABLE c;")}|true", history[3]);
        Assert.Equal($"5|2|b|UNDO_SQL|U2__b.sql|{FlywayChecksum.Compute("DROP TABLE b;")}|true", history[4]);
        Assert.False(await TableExistsAsync("b"));
        Assert.True(await TableExistsAsync("a"));
        var states = (await InfoAsync()).Where(i => i.Kind == MigrationKind.Versioned).Select(i => (i.Version?.Text, i.State)).ToList();
        Assert.Contains(("2", MigrationState.Undone), states);
        Assert.Contains(("2", MigrationState.Pending), states); // the file is pending again, not Ignored

        Assert.Equal(["2", "3"], (await MigrateAsync()).Select(r => r.Version?.Text)); // and re-applies
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed));
    }

    [Fact]
    public async Task A_repeatable_built_on_an_undone_migration_runs_again_after_the_re_apply()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");
        Dir.Write("U2__b.sql", "DROP VIEW IF EXISTS a_and_b;\nDROP TABLE b;");
        Dir.Write("R__a_and_b.sql", "CREATE OR REPLACE VIEW a_and_b AS SELECT id FROM a UNION ALL SELECT id FROM b;");
        await MigrateAsync();

        await UndoAsync(UndoScope.Last(1));
        Assert.Equal(MigrationState.Outdated, (await InfoAsync()).Single(i => i.Kind == MigrationKind.Repeatable && i.InstalledRank is not null).State);
        Assert.Contains(await ValidateAsync(), r => !r.Passed && r.Detail.Contains("undone"));

        Assert.Equal(["2", null], (await MigrateAsync()).Select(r => r.Version?.Text));   // V2, then the view again
        Assert.True(await TableExistsAsync("a_and_b"));
        Assert.Empty(await MigrateAsync());                                        // and then it is up to date
    }

    [Fact]
    public async Task Undoes_down_to_a_target_or_everything()
    {
        WriteSet();
        await MigrateAsync();
        Assert.Equal(["3", "2"], (await UndoAsync(new UndoScope(Target: "1"))).Select(r => r.Version?.Text));
        Assert.Equal(["1"], (await UndoAsync(new UndoScope(All: true))).Select(r => r.Version?.Text));
        Assert.False(await TableExistsAsync("a"));
    }

    [Fact]
    public async Task Refuses_before_touching_anything_when_an_undo_script_is_missing_or_a_script_changed()
    {
        WriteSet();
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "U2__b.sql"));
        Dir.Write("V3__c.sql", "CREATE TABLE c (id bigint);");
        var before = await HistoryAsync();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => UndoAsync(UndoScope.Last(2)));

        Assert.Equal("UndoRefused", e.ErrorId);
        Assert.Contains("V3 c: V3__c.sql changed since it was applied", e.Message.Replace(Dir.Path + "/", ""));
        Assert.Contains("V2 b has no undo script", e.Message);
        Assert.Equal(before, await HistoryAsync());
        Assert.True(await TableExistsAsync("c"));
    }

    [Fact]
    public async Task WhatIf_lists_the_exact_undo_plan_and_changes_nothing()
    {
        WriteSet();
        await MigrateAsync();
        var sink = new RecordingSink(whatIf: true);
        Assert.Empty(await UndoAsync(new UndoScope(All: true), sink));
        Assert.Equal(["V3", "V2", "V1"], sink.Questions.Select(q => q.Target.Split(' ')[0]));
        Assert.Contains("U3__c.sql", sink.Questions.First().Action);
        Assert.Equal(3, (await HistoryAsync()).Count);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(1, "1", false)]
    [InlineData(0, null, false)]
    public async Task The_scope_must_say_exactly_one_thing(int? count, string? target, bool all)
    {
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => UndoAsync(new UndoScope(count, target, all)));
        Assert.Equal("InvalidUndoScope", e.ErrorId);
    }
}
