using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Operations;

public class MigrateTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    [Fact]
    public async Task What_the_server_says_while_a_migration_runs_is_relayed_warnings_as_warnings()
    {
        // A backfill's RAISE NOTICE progress, IF NOT EXISTS's "skipping", a RAISE WARNING: Flyway prints them; they were
        // dropped (and so was PostgreSQL's warning that a COMMIT was not confirmed by a synchronous standby).
        Dir.Write("V1__backfill.sql", "CREATE TABLE t (id int);\nCREATE TABLE IF NOT EXISTS t (id int);\nDO $$ BEGIN RAISE NOTICE 'backfilled % rows', 42; RAISE WARNING 'check the report'; END $$;");
        Dir.Write("V2__index.sql", "DO $$ BEGIN RAISE NOTICE 'outside a transaction'; END $$;\nCREATE INDEX CONCURRENTLY t_id ON t (id);");
        Dir.Write("V2__index.sql.conf", "executeInTransaction=false");
        var sink = new RecordingSink();

        await MigrateAsync(sink: sink);

        Assert.Contains(sink.Verbose, v => v == "V1 backfill: server NOTICE: relation \"t\" already exists, skipping");
        Assert.Contains(sink.Verbose, v => v == "V1 backfill: server NOTICE: backfilled 42 rows");
        Assert.Contains(sink.Warnings, w => w == "V1 backfill: server WARNING: check the report");
        Assert.Contains(sink.Verbose, v => v == "V2 index: server NOTICE: outside a transaction");
    }

    [Fact]
    public async Task Applies_pending_migrations_in_version_order_with_flyway_rows()
    {
        Dir.Write("V1__create_users.sql", "CREATE TABLE users (id int PRIMARY KEY);\n");
        Dir.Write("V1_10__add_name.sql", "ALTER TABLE users ADD name text;\n");
        Dir.Write("V1_9__add_email.sql", "ALTER TABLE users ADD email text;\n");
        Dir.Write("sub/R__users_view.sql", "CREATE OR REPLACE VIEW user_names AS SELECT name FROM users;\n");

        var results = await MigrateAsync();

        Assert.Equal(["1", "1.9", "1.10", null], results.Select(r => r.Version?.Text));
        Assert.All(results, r => Assert.Equal(MigrationOutcome.Applied, r.Outcome));
        var c1 = FlywayChecksum.Compute("CREATE TABLE users (id int PRIMARY KEY);\n");
        Assert.Equal(
        [
            $"1|1|create users|SQL|V1__create_users.sql|{c1}|true",
            $"2|1.9|add email|SQL|V1_9__add_email.sql|{results[1].Checksum}|true",
            $"3|1.10|add name|SQL|V1_10__add_name.sql|{results[2].Checksum}|true",
            $"4|-|users view|SQL|sub/R__users_view.sql|{results[3].Checksum}|true",
        ], await HistoryAsync());
        Assert.True(await TableExistsAsync("user_names"));
        Assert.Equal("postgres", await ScalarAsync<string>("SELECT installed_by FROM flyway_schema_history WHERE installed_rank = 1"));

        Assert.Empty(await MigrateAsync()); // up to date
    }

    [Fact]
    public async Task A_history_in_another_schema_is_not_started_again_where_no_schema_was_named()
    {
        // A Flyway team's schemas=app forgotten on the command line: SchemaOps created public.flyway_schema_history and
        // applied every migration a second time (into public).
        Dir.Write("V1__t.sql", "CREATE TABLE t (id int);\n");
        await MigrateAsync(s => s with { Schemas = ["app"] });

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("HistoryInOtherSchema", e.ErrorId);
        Assert.Contains("has no public.flyway_schema_history, but app.flyway_schema_history exists", e.Message);
        Assert.Contains("--schema app", e.Message);
        Assert.False(await TableExistsAsync("public.flyway_schema_history"));
        Assert.False(await TableExistsAsync("public.t"));
        // info and validate read as before, and say where the history is instead of letting V1 read as pending unexplained.
        var sink = new RecordingSink();
        Assert.Equal(MigrationState.Pending, Assert.Single(await InfoOperation.InfoAsync(Request(), sink, CancellationToken.None)).State);
        Assert.Contains(sink.Warnings, w => w.Contains("app.flyway_schema_history exists") && w.Contains("--schema app"));

        // Named on purpose (a schema per tenant, each with its own history), it starts one.
        Assert.Single(await MigrateAsync(s => s with { Schemas = ["public"] }));
        Assert.True(await TableExistsAsync("public.t"));
    }

    [Fact]
    public async Task With_createSchemas_false_a_missing_schema_is_refused_and_nothing_is_created()
    {
        // Reachable since a config's createSchemas is read (it was skipped, and SchemaOps created the schema Flyway would not have).
        Dir.Write("V1__t.sql", "CREATE TABLE t (id int);\n");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { Schemas = ["app"], CreateSchemas = false }));
        Assert.Equal("SchemaNotFound", e.ErrorId);
        Assert.Contains("createSchemas=false", e.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'"));

        await ExecAsync("CREATE SCHEMA app");
        Assert.Single(await MigrateAsync(s => s with { Schemas = ["app"], CreateSchemas = false }));
        Assert.True(await TableExistsAsync("app.flyway_schema_history"));
    }

    [Fact]
    public async Task Creates_the_history_table_exactly_as_flyway_does()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        await MigrateAsync();
        var columns = await ScalarAsync<string>("""
            SELECT string_agg(column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable, ', ' ORDER BY ordinal_position)
            FROM information_schema.columns WHERE table_name = 'flyway_schema_history'
            """);
        Assert.Equal("installed_rank integer NO, version character varying(50) YES, description character varying(200) NO, type character varying(20) NO, " +
                     "script character varying(1000) NO, checksum integer YES, installed_by character varying(100) NO, installed_on timestamp without time zone NO, " +
                     "execution_time integer NO, success boolean NO", columns);
        Assert.True(await TableExistsAsync("flyway_schema_history_s_idx"));
        Assert.Equal("flyway_schema_history_pk", await ScalarAsync<string>("SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = 'flyway_schema_history'::regclass"));
    }

    [Fact]
    public async Task A_failing_transactional_migration_rolls_back_leaves_no_row_and_names_file_and_line()
    {
        Dir.Write("V1__ok.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__bad.sql", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO b\n  VALUES ('not a number');\n");
        Dir.Write("V3__later.sql", "CREATE TABLE c (id int);");
        var sink = new RecordingSink();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(sink: sink));

        Assert.Equal("MigrationFailed", e.ErrorId);
        Assert.Contains("V2__bad.sql:4:", e.Message);
        Assert.Contains("22P02", e.Message);
        Assert.Equal("2", e.Version);
        Assert.Equal(4, e.Line);
        Assert.Equal(["1|1|ok|SQL|V1__ok.sql|" + FlywayChecksum.Compute("CREATE TABLE a (id int);") + "|true"], await HistoryAsync());
        Assert.False(await TableExistsAsync("b"));
        Assert.False(await TableExistsAsync("c"));
        Assert.Equal(MigrationOutcome.Failed, sink.Of<MigrationResult>().Last().Outcome);

        Dir.Write("V2__bad.sql", "CREATE TABLE b (id int);\n");
        Assert.Equal(2, (await MigrateAsync()).Count); // fixed script: carries on
    }

    [Fact]
    public async Task Create_index_concurrently_runs_outside_a_transaction_statement_by_statement()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (a int, b int);");
        Dir.Write("V2__idx.sql", "CREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE INDEX CONCURRENTLY t_b ON t (b);\n");
        var results = await MigrateAsync();
        Assert.False(results[1].InTransaction);
        Assert.True(results[0].InTransaction);
        Assert.True(await TableExistsAsync("t_a"));
        Assert.True(await TableExistsAsync("t_b"));
    }

    [Fact]
    public async Task A_failing_non_transactional_migration_leaves_a_failed_row_and_blocks_the_next_run()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (a int);");
        Dir.Write("V2__idx.sql", "CREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE INDEX CONCURRENTLY t_x ON t (nope);\n");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Contains("V2__idx.sql:2:", e.Message);
        Assert.EndsWith("|false", (await HistoryAsync())[1]);
        Assert.True(await TableExistsAsync("t_a")); // the first statement stays: that is why the row is recorded

        var again = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("ValidationFailed", again.ErrorId);
        Assert.Contains("V2 idx failed", again.Message);
    }

    [Fact]
    public async Task Config_file_turns_the_transaction_off()
    {
        Dir.Write("V1__vac.sql", "CREATE TABLE t (a int);\n");
        Dir.Write("V2__plain.sql", "ALTER TABLE t ADD b int;\n");
        Dir.Write("V2__plain.sql.conf", "executeInTransaction=false\n");
        var results = await MigrateAsync();
        Assert.False(results[1].InTransaction);
    }

    [Fact]
    public async Task WhatIf_lists_every_change_and_changes_nothing_not_even_the_history_table()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");
        Dir.Write("R__v.sql", "CREATE VIEW v AS SELECT 1;");
        var sink = new RecordingSink(whatIf: true);

        Assert.Empty(await MigrateAsync(sink: sink));

        Assert.Equal(["Create schema history table", "Apply migration", "Apply migration", "Apply migration"], sink.Questions.Select(q => q.Action));
        Assert.Contains("V2 b", sink.Questions.ElementAt(2).Target);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
        Assert.False(await TableExistsAsync("a"));
    }

    [Fact]
    public async Task Bad_sql_in_any_pending_script_stops_the_run_before_anything_is_applied()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__b.sql", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; LANGUAGE sql;");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("UnterminatedSql", e.ErrorId);
        Assert.Contains("V2__b.sql:1", e.Message);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
        Assert.False(await TableExistsAsync("a"));
    }

    [Fact]
    public async Task A_checksum_drifted_after_apply_is_refused_and_nothing_is_applied()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await MigrateAsync();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id bigint);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("ValidationFailed", e.ErrorId);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains("V1__a.sql", e.Message);
        Assert.False(await TableExistsAsync("b"));
    }

    [Fact]
    public async Task Repeatables_rerun_only_when_changed_and_old_runs_become_superseded()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (a int);");
        Dir.Write("R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT a FROM t;");
        await MigrateAsync();
        Assert.Empty(await MigrateAsync());

        Dir.Write("R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT a, 1 AS one FROM t;");
        Assert.Equal(MigrationState.Outdated, (await InfoAsync()).Single(i => i.InstalledRank == 2).State);
        var rerun = Assert.Single(await MigrateAsync());
        Assert.Null(rerun.Version);
        var infos = await InfoAsync();
        Assert.Equal([MigrationState.Success, MigrationState.Superseded, MigrationState.Success], infos.Select(i => i.State));
    }

    [Fact]
    public async Task Target_stops_at_a_version_and_out_of_order_applies_older_pending_ones()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V3__c.sql", "SELECT 3;");
        Dir.Write("V4__d.sql", "SELECT 4;");
        Assert.Equal(2, (await MigrateAsync(s => s with { Target = "3" })).Count);
        Assert.Equal(MigrationState.AboveTarget, (await InfoAsync(s => s with { Target = "3" })).Single(i => i.Version?.Text == "4").State);
        await MigrateAsync();

        Dir.Write("V2__b.sql", "SELECT 2;");
        Assert.Equal(MigrationState.Ignored, (await InfoAsync()).Single(i => i.Version?.Text == "2").State);
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Contains("never applied", e.Message);

        Assert.Equal("2", Assert.Single(await MigrateAsync(s => s with { OutOfOrder = true })).Version?.Text);
        Assert.Equal(MigrationState.OutOfOrder, (await InfoAsync()).Single(i => i.Version?.Text == "2").State);
    }

    [Fact]
    public async Task A_missing_schema_is_created_and_recorded_with_a_rank_zero_schema_row_in_a_custom_table()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (a int);"); // unqualified: lands in the default schema
        await MigrateAsync(s => s with { Schemas = ["app"], Table = "schema_version" });
        Assert.Equal(
        [
            "0|-|<< Flyway Schema Creation >>|SCHEMA|\"app\"|-|true",
            $"1|1|t|SQL|V1__t.sql|{FlywayChecksum.Compute("CREATE TABLE t (a int);")}|true",
        ], await HistoryAsync("app.schema_version"));
        Assert.True(await TableExistsAsync("app.t"));
    }

    [Fact]
    public async Task A_non_empty_schema_without_history_is_refused_unless_baseline_on_migrate()
    {
        await ExecAsync("CREATE TABLE legacy (id int)");
        Dir.Write("V1__old.sql", "CREATE TABLE legacy (id int);");
        Dir.Write("V2__new.sql", "CREATE TABLE fresh (id int);");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("NonEmptySchemaWithoutHistory", e.ErrorId);
        Assert.False(await TableExistsAsync("flyway_schema_history"));

        var applied = await MigrateAsync(s => s with { BaselineOnMigrate = true });
        Assert.Equal("2", Assert.Single(applied).Version?.Text);
        Assert.StartsWith("1|1|<< Flyway Baseline >>|BASELINE|<< Flyway Baseline >>|-|true", (await HistoryAsync())[0]);
        Assert.Equal(MigrationState.IgnoredBaseline, (await InfoAsync()).Single(i => i.Version?.Text == "1" && i.Kind == MigrationKind.Versioned).State);
    }

    [Fact]
    public async Task A_table_with_the_history_name_but_another_shape_is_refused_by_name()
    {
        await ExecAsync("CREATE TABLE flyway_schema_history (id int, version text)");
        Dir.Write("V1__a.sql", "SELECT 1;");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("HistoryTableShape", e.ErrorId);
        Assert.Contains("public.flyway_schema_history", e.Message);
        Assert.Contains("column installed_rank is missing", e.Message);
    }

    [Fact]
    public async Task Cancelling_mid_migration_rolls_it_back_and_releases_the_lock()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__slow.sql", "CREATE TABLE b (id int);\nSELECT pg_sleep(30);\n");
        using var cts = new CancellationTokenSource();
        var run = Engine.Operations.MigrateOperation.MigrateAsync(Request(), new RecordingSink(), cts.Token);
        while (!await ScalarAsync<bool>("SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()"))
            await Task.Delay(20);

        cts.Cancel();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => run);
        Assert.Equal(SchemaOpsErrorCategory.OperationStopped, e.Category);
        Assert.Single(await HistoryAsync());
        Assert.False(await TableExistsAsync("b"));
        Dir.Write("V2__slow.sql", "CREATE TABLE b (id int);\n");
        Assert.Equal("2", Assert.Single(await MigrateAsync(s => s with { LockWaitTimeout = TimeSpan.FromSeconds(5) })).Version?.Text);
    }

    [Fact]
    public async Task Execution_time_covers_the_whole_migration()
    {
        Dir.Write("V1__slow.sql", "CREATE TABLE t (id int);\nSELECT pg_sleep(0.2);\nINSERT INTO t VALUES (1);\n");
        var result = Assert.Single(await MigrateAsync());
        var recorded = await ScalarAsync<int>("SELECT execution_time FROM flyway_schema_history");
        Assert.InRange(recorded, 200, 10_000);
        Assert.Equal(recorded, result.ExecutionTime);
        Assert.Equal(1, result.InstalledRank);
    }

    [Fact]
    public async Task An_empty_script_is_recorded_with_checksum_zero()
    {
        Dir.Write("V1__nothing.sql", "");
        await MigrateAsync();
        Assert.Equal("1|1|nothing|SQL|V1__nothing.sql|0|true", Assert.Single(await HistoryAsync()));
    }

    [Fact]
    public async Task Wrong_password_is_an_authentication_error_without_the_password()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = "hunter2-wrong" };
        var request = new Engine.Operations.MigrationRequest(Engine.Connections.ConnectionTarget.Parse(builder.ConnectionString), new() { Locations = [Dir.Path] });
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => Engine.Operations.MigrateOperation.MigrateAsync(request, new RecordingSink(), default));
        Assert.Equal(SchemaOpsErrorCategory.AuthenticationError, e.Category);
        Assert.DoesNotContain("hunter2", e.ToString());
    }
}
