using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

public class CallbackTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private void WriteCallbacks()
    {
        Dir.Write("callbacks/beforeMigrate.sql", "CREATE TABLE IF NOT EXISTS audit (n serial, event text);\nINSERT INTO audit (event) VALUES ('before');");
        Dir.Write("callbacks/beforeEachMigrate.sql", "INSERT INTO audit (event) VALUES ('before each');");
        Dir.Write("callbacks/afterEachMigrate__count.sql", "INSERT INTO audit (event) VALUES ('after each');");
        Dir.Write("callbacks/afterMigrate__grants.sql", "INSERT INTO audit (event) VALUES ('after');");
        Dir.Write("callbacks/afterMigrateError.sql", "INSERT INTO audit (event) VALUES ('error');");
    }

    private Task<string?> AuditAsync() => ScalarAsync<string>("SELECT string_agg(event, ',' ORDER BY n) FROM audit");

    [Fact]
    public async Task Run_around_the_run_and_inside_each_migrations_transaction()
    {
        WriteCallbacks();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");

        var applied = await MigrateAsync();

        Assert.Equal(["1", "2"], applied.Select(r => r.Version?.Text)); // callbacks are not migrations
        Assert.Equal("before,before each,after each,before each,after each,after", await AuditAsync());
        Assert.Empty(await MigrateAsync(sink: new RecordingSink(whatIf: true))); // -WhatIf: nothing runs
        Assert.Equal("before,before each,after each,before each,after each,after", await AuditAsync());
        Assert.Empty(await MigrateAsync()); // nothing to apply: before and after still run, as in Flyway (no each: no migration)
        Assert.Equal("before,before each,after each,before each,after each,after,before,after", await AuditAsync());
    }

    [Fact]
    public async Task A_failing_migration_takes_its_each_callbacks_with_it_and_runs_afterMigrateError()
    {
        WriteCallbacks();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__bad.sql", "SELECT nope;");

        await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("before,before each,after each,error", await AuditAsync());
    }

    [Fact]
    public async Task A_failing_callback_is_named_by_file_and_line_and_other_events_are_reported_not_ignored()
    {
        Dir.Write("beforeEachMigrate.sql", "SELECT 1;\nSELECT missing_column FROM pg_class;");
        Dir.Write("beforeEachMigrateStatement.sql", "SELECT 1;");
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var sink = new RecordingSink();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(sink: sink));

        Assert.Contains("beforeEachMigrate.sql:2", e.Message);
        Assert.False(await TableExistsAsync("a"));
        Assert.Contains(sink.Warnings, w => w.Contains("beforeEachMigrateStatement") && w.Contains("not run by SchemaOps"));
    }

    [Fact]
    public async Task The_dry_run_shows_the_callbacks_where_they_run()
    {
        WriteCallbacks();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var file = Path.Combine(Path.GetTempPath(), $"schemaops-cb-{Guid.NewGuid():N}.sql");

        await MigrateOperation.DryRunAsync(Request(), file, new RecordingSink(), CancellationToken.None);

        var text = await File.ReadAllTextAsync(file);
        File.Delete(file);
        var order = new[] { "callback beforeMigrate", "-- V1 a", "callback beforeEachMigrate", "CREATE TABLE a", "callback afterEachMigrate", "callback afterMigrate:" }
            .Select(t => text.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
    }

    // The log lives in a schema SchemaOps does not manage, so it survives clean and undo.
    private async Task WriteLoggingCallbacksAsync(params string[] events)
    {
        await ExecAsync("CREATE SCHEMA log; CREATE TABLE log.events (n serial, event text)");
        foreach (var e in events) Dir.Write($"callbacks/{e}.sql", $"INSERT INTO log.events (event) VALUES ('{e}');");
    }

    private Task<string?> LogAsync() => ScalarAsync<string>("SELECT string_agg(event, ',' ORDER BY n) FROM log.events");

    [Fact]
    public async Task Undo_callbacks_run_around_the_undo_and_inside_each_undo_scripts_transaction()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");
        Dir.Write("U2__b.sql", "DROP TABLE b;");
        await MigrateAsync();
        await WriteLoggingCallbacksAsync("beforeUndo", "beforeEachUndo", "afterEachUndo", "afterUndo", "afterUndoError");

        await UndoOperation.UndoAsync(Request(), UndoScope.Last(2), new RecordingSink(), CancellationToken.None);

        Assert.Equal("beforeUndo,beforeEachUndo,afterEachUndo,beforeEachUndo,afterEachUndo,afterUndo", await LogAsync());
    }

    [Fact]
    public async Task Validate_runs_afterValidate_when_it_passes_and_afterValidateError_when_it_finds_problems()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await MigrateAsync();
        await WriteLoggingCallbacksAsync("beforeValidate", "afterValidate", "afterValidateError", "beforeInfo", "afterInfo");

        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed));
        Dir.Write("V1__a.sql", "CREATE TABLE a (id bigint);");
        Assert.Contains(await ValidateAsync(), r => !r.Passed);
        await InfoAsync();

        Assert.Equal("beforeValidate,afterValidate,beforeValidate,afterValidateError,beforeInfo,afterInfo", await LogAsync());
    }

    [Fact]
    public async Task Repair_clean_and_baseline_callbacks_run_around_the_change()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await MigrateAsync();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int); -- edited");
        await WriteLoggingCallbacksAsync("beforeRepair", "afterRepair", "beforeClean", "afterClean", "beforeBaseline", "afterBaseline");

        await RepairOperation.RepairAsync(Request(), new RecordingSink(), CancellationToken.None);
        await CleanOperation.CleanAsync(Request(s => s with { CleanEnabled = true }), new RecordingSink(), CancellationToken.None);
        await BaselineOperation.BaselineAsync(Request(s => s with { BaselineVersion = "5" }), new RecordingSink(), CancellationToken.None);

        Assert.Equal("beforeRepair,afterRepair,beforeClean,afterClean,beforeBaseline,afterBaseline", await LogAsync());
        Assert.False(await TableExistsAsync("a")); // the clean itself happened between its callbacks
    }

    [Fact]
    public async Task A_failed_clean_runs_afterCleanError_and_still_reports_the_cleans_own_error()
    {
        await WriteLoggingCallbacksAsync("beforeClean", "afterClean", "afterCleanError");
        Dir.Write("callbacks/afterCleanError__broken.sql", "SELECT broken;"); // fails too: only a warning
        await ExecAsync("CREATE TABLE t (id int)");
        // An event trigger that refuses every drop makes the clean fail inside its transaction.
        await ExecAsync("""
            CREATE FUNCTION log.refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'drops are refused here'; END $$;
            CREATE EVENT TRIGGER refuse_drops ON sql_drop EXECUTE FUNCTION log.refuse();
            """);
        var sink = new RecordingSink();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => CleanOperation.CleanAsync(Request(s => s with { CleanEnabled = true }), sink, CancellationToken.None));

        Assert.Contains("drops are refused here", e.Message);
        Assert.Equal("beforeClean,afterCleanError", await LogAsync());
        Assert.Contains(sink.Warnings, w => w.Contains("afterCleanError__broken.sql"));
        Assert.True(await TableExistsAsync("t")); // the clean rolled back whole
    }
}
