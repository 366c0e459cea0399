using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>The dbmate layout end to end: its files, its schema_migrations(version) table, its rules.</summary>
public class DbmateHistoryTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private Task<IReadOnlyList<MigrationResult>> UndoAsync(UndoScope scope) =>
        UndoOperation.UndoAsync(Request(), scope, new RecordingSink(), CancellationToken.None);

    private async Task<List<string>> VersionsAsync(string table = "public.schema_migrations")
    {
        var text = await ScalarAsync<string>($"SELECT coalesce(string_agg(version, ',' ORDER BY version), '') FROM {table}");
        return text!.Length == 0 ? [] : text.Split(',').ToList();
    }

    private void WriteSet()
    {
        Dir.Write("20240101000000_create_a.sql", "-- migrate:up\nCREATE TABLE a (id int)\n-- migrate:down\nDROP TABLE a;\n");
        Dir.Write("20240102000000_create_b.sql", "-- migrate:up\nCREATE TABLE b (id int);\n\n-- migrate:down\nDROP TABLE b;\n");
    }

    [Fact]
    public async Task An_older_pending_version_is_applied_as_dbmate_applies_it_unless_strict()
    {
        // A branch merged after a newer one had shipped: `dbmate up` applies it (only --strict refuses); SchemaOps refused
        // it as Flyway does (ValidationFailed), failing a dbmate team's deploy after the takeover.
        Dir.Write("20240101000000_create_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        Dir.Write("20240301000000_create_c.sql", "-- migrate:up\nCREATE TABLE c (id int);\n-- migrate:down\nDROP TABLE c;\n");
        await MigrateAsync();
        Dir.Write("20240201000000_create_b.sql", "-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n");

        var strict = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { OutOfOrder = false }));
        Assert.Equal("ValidationFailed", strict.ErrorId);
        Assert.False(await TableExistsAsync("b"));
        Assert.Equal(MigrationState.Pending, (await InfoAsync()).Single(i => i.Version?.Text == "20240201000000").State);

        Assert.Equal(["20240201000000"], (await MigrateAsync()).Select(r => r.Version?.Text));
        Assert.Equal(["20240101000000", "20240201000000", "20240301000000"], await VersionsAsync());
    }

    [Fact]
    public async Task Migrates_into_dbmates_own_table_and_nothing_else()
    {
        WriteSet();
        var applied = await MigrateAsync();

        Assert.Equal(["20240101000000", "20240102000000"], applied.Select(r => r.Version?.Text));
        Assert.All(applied, r => Assert.Null(r.InstalledRank));
        Assert.Equal(["20240101000000", "20240102000000"], await VersionsAsync());
        Assert.Equal("character varying(128)", await ScalarAsync<string>(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.schema_migrations'::regclass AND attname = 'version'"));
        Assert.False(await TableExistsAsync("flyway_schema_history"));
        Assert.True(await TableExistsAsync("b"));
        Assert.All(await InfoAsync(), i => Assert.Equal(MigrationState.Success, i.State));
        Assert.Equal("create b", (await InfoAsync())[1].Description);
        Assert.Empty(await MigrateAsync()); // up to date
    }

    [Fact]
    public async Task Edited_files_are_caught_through_SchemaOps_checksum_table_which_dbmate_never_sees()
    {
        WriteSet();
        await MigrateAsync();
        Assert.True(await TableExistsAsync("schema_migrations_checksums"));
        Dir.Write("20240101000000_create_a.sql", "-- migrate:up\nCREATE TABLE a (id bigint);\n-- migrate:down\nDROP TABLE a;\n");

        var problem = Assert.Single(await ValidateAsync(), r => !r.Passed);
        Assert.Equal(ValidationKind.ChecksumMismatch, problem.Kind);
        Assert.Equal("20240101000000", problem.Version?.Text);
        var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => UndoAsync(new UndoScope(All: true)));
        Assert.Contains("changed since it was applied", refused.Message);

        var changes = await RepairOperation.RepairAsync(Request(), new RecordingSink(), CancellationToken.None);
        Assert.Equal([RepairAction.AlignedChecksum], changes.Select(c => c.Action));
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed, r.Detail));
        Assert.Equal(["20240101000000", "20240102000000"], await VersionsAsync()); // dbmate's table untouched by all this
    }

    [Fact]
    public async Task Versions_dbmate_applied_itself_have_no_checksum_to_check()
    {
        WriteSet();
        await ExecAsync("CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101000000'); CREATE TABLE a (id int);");
        Dir.Write("20240101000000_create_a.sql", "-- migrate:up\nCREATE TABLE a (id bigint);\n-- migrate:down\nDROP TABLE a;\n");

        Assert.Equal(["20240102000000"], (await MigrateAsync()).Select(r => r.Version?.Text));
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed, r.Detail));
        var infos = await InfoAsync();
        Assert.Null(infos[0].Checksum);
        Assert.NotNull(infos[1].Checksum);
        Assert.NotNull(infos[1].InstalledOn);
    }

    [Fact]
    public async Task A_transaction_false_section_with_several_concurrently_statements_works()
    {
        Dir.Write("1_t.sql", "-- migrate:up\nCREATE TABLE t (a int, b int);\n-- migrate:down\nDROP TABLE t;\n");
        Dir.Write("2_idx.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE INDEX CONCURRENTLY t_b ON t (b);\n" +
                               "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY t_b;\nDROP INDEX CONCURRENTLY t_a;\n");

        var applied = await MigrateAsync();

        Assert.False(applied[1].InTransaction);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('t_a', 't_b') AND i.indisvalid"));
        Assert.Equal(["1", "2"], await VersionsAsync());
        await UndoAsync(UndoScope.Last(1));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('t_a', 't_b')"));
        Assert.Equal(["1"], await VersionsAsync());
    }

    [Fact]
    public async Task Undo_runs_down_sections_in_reverse_order_and_deletes_the_rows()
    {
        WriteSet();
        await MigrateAsync();

        var undone = await UndoAsync(new UndoScope(All: true));

        Assert.Equal(["20240102000000", "20240101000000"], undone.Select(r => r.Version?.Text));
        Assert.Empty(await VersionsAsync());
        Assert.False(await TableExistsAsync("a"));
        Assert.Equal(2, (await MigrateAsync()).Count); // and re-applies
    }

    [Fact]
    public async Task An_empty_down_section_undoes_as_a_no_op_with_a_note_as_dbmate_does()
    {
        WriteSet();
        Dir.Write("20240103000000_data.sql", "-- migrate:up\nINSERT INTO b VALUES (1);\n-- migrate:down\n");
        await MigrateAsync();
        var sink = new RecordingSink();

        var undone = await UndoOperation.UndoAsync(Request(), UndoScope.Last(2), sink, CancellationToken.None);

        Assert.Equal(["20240103000000", "20240102000000"], undone.Select(r => r.Version?.Text));
        Assert.Contains(sink.Warnings, w => w.Contains("20240103000000_data.sql runs no statement"));
        Assert.Equal(["20240101000000"], await VersionsAsync());
        Assert.False(await TableExistsAsync("b"));
    }

    [Fact]
    public async Task A_failure_outside_a_transaction_records_nothing_and_says_so()
    {
        Dir.Write("1_t.sql", "-- migrate:up transaction:false\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_x ON t (missing);\n-- migrate:down\nDROP TABLE t;\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Contains("1_t.sql:3", e.Message);
        Assert.Contains("has no way to record a failure", e.Message);
        Assert.Empty(await VersionsAsync());
    }

    [Fact]
    public async Task Repair_forgets_versions_whose_files_are_gone()
    {
        WriteSet();
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "20240101000000_create_a.sql"));

        var changes = await RepairOperation.RepairAsync(Request(r => r with { IgnoreMigrationPatterns = [] }), new RecordingSink(), CancellationToken.None);

        Assert.Equal([RepairAction.MarkedDeleted], changes.Select(c => c.Action));
        Assert.Equal(["20240102000000"], await VersionsAsync());
    }

    [Fact]
    public async Task Baseline_is_refused_with_what_to_do_instead()
    {
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() =>
            BaselineOperation.BaselineAsync(Request(s => s with { Layout = MigrationLayout.Dbmate }), new RecordingSink(), CancellationToken.None));
        Assert.Equal("BaselineNotSupported", e.ErrorId);
    }

    [Fact]
    public async Task The_history_lives_in_the_first_search_path_schema_which_is_created()
    {
        WriteSet();
        var request = new MigrationRequest(Engine.Connections.ConnectionTarget.Parse(ConnectionString + ";Search Path=app,public"), new MigrationSettings { Locations = [Dir.Path] });

        await MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None);

        Assert.Equal(["20240101000000", "20240102000000"], await VersionsAsync("app.schema_migrations"));
        Assert.True(await TableExistsAsync("app.a"));
    }

    [Fact]
    public async Task A_dbmate_folder_against_a_flyway_database_is_refused_unless_the_layout_is_explicit()
    {
        Dir.Write("V1__flyway.sql", "CREATE TABLE f (id int);");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V1__flyway.sql"));
        WriteSet();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("HistoryLayoutMismatch", e.ErrorId);
        Assert.Contains("dbmate layout", e.Message);
        Assert.Contains("Flyway's history in public.flyway_schema_history", e.Message);
        Assert.Contains("-Layout Dbmate", e.Message);
        Assert.False(await TableExistsAsync("schema_migrations"));

        Assert.Equal(2, (await MigrateAsync(s => s with { Layout = MigrationLayout.Dbmate })).Count);
    }

    [Fact]
    public async Task An_empty_folder_takes_the_layout_of_the_database()
    {
        WriteSet();
        await MigrateAsync();
        using var empty = new TempDir();

        var infos = await InfoOperation.InfoAsync(Request(s => s with { Locations = [empty.Path] }), new RecordingSink(), CancellationToken.None);

        Assert.Equal(["20240101000000", "20240102000000"], infos.Select(i => i.Version?.Text));
        Assert.All(infos, i => Assert.Equal(MigrationState.Future, i.State));
    }
}
