using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>The golang-migrate layout end to end: up/down files and the single-row schema_migrations(version, dirty).</summary>
public class GolangMigrateHistoryTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private Task<IReadOnlyList<MigrationResult>> UndoAsync(UndoScope scope) =>
        UndoOperation.UndoAsync(Request(), scope, new RecordingSink(), CancellationToken.None);

    private Task<string?> StateAsync() =>
        ScalarAsync<string>("SELECT coalesce((SELECT string_agg(version || CASE WHEN dirty THEN ' dirty' ELSE '' END, ',') FROM schema_migrations), 'empty')");

    private void WriteSet()
    {
        Dir.Write("1_create_a.up.sql", "CREATE TABLE a (id int);");
        Dir.Write("1_create_a.down.sql", "DROP TABLE a;");
        Dir.Write("2_create_b.up.sql", "BEGIN;\nCREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nCOMMIT;\n");
        Dir.Write("2_create_b.down.sql", "DROP TABLE b;");
    }

    [Fact]
    public async Task Migrates_and_keeps_one_clean_row_with_the_current_version()
    {
        WriteSet();
        var applied = await MigrateAsync();

        Assert.Equal(["1", "2"], applied.Select(r => r.Version?.Text));
        Assert.All(applied, r => Assert.True(r.InTransaction));
        Assert.Equal("2", await StateAsync());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM b"));
        Assert.All(await InfoAsync(), i => Assert.Equal(MigrationState.Success, i.State));
    }

    [Fact]
    public async Task An_edited_up_file_is_caught_and_blocks_its_undo()
    {
        WriteSet();
        await MigrateAsync();
        Dir.Write("1_create_a.up.sql", "CREATE TABLE a (id bigint);");

        Assert.Equal(ValidationKind.ChecksumMismatch, Assert.Single(await ValidateAsync(), r => !r.Passed).Kind);
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => UndoAsync(new UndoScope(All: true)));
        Assert.Contains("1_create_a.up.sql changed since it was applied", e.Message);
        Assert.Equal("2", await StateAsync());
        Assert.True(await TableExistsAsync("b"));
    }

    [Fact]
    public async Task A_file_wrapped_in_its_own_begin_commit_stays_atomic_with_the_version_change()
    {
        Dir.Write("1_a.up.sql", "BEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES ('not a number');\nCOMMIT;\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Contains("1_a.up.sql:3", e.Message);
        Assert.False(await TableExistsAsync("a")); // our transaction, not the file's, was the one in effect
        Assert.Equal("empty", await StateAsync());
    }

    [Fact]
    public async Task A_file_with_several_transactions_of_its_own_runs_without_ours()
    {
        Dir.Write("1_two.up.sql", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n");

        var applied = await MigrateAsync();

        Assert.False(applied[0].InTransaction);
        Assert.True(await TableExistsAsync("b"));
        Assert.Equal("1", await StateAsync());
    }

    [Fact]
    public async Task Undo_sets_the_version_back_and_empties_the_table_below_the_first()
    {
        WriteSet();
        await MigrateAsync();

        await UndoAsync(UndoScope.Last(1));
        Assert.Equal("1", await StateAsync());
        Assert.False(await TableExistsAsync("b"));

        await UndoAsync(UndoScope.Last(1));
        Assert.Equal("empty", await StateAsync());
        Assert.Equal(2, (await MigrateAsync()).Count);
    }

    [Fact]
    public async Task Undo_is_refused_when_a_down_file_is_missing()
    {
        WriteSet();
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "2_create_b.down.sql"));

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => UndoAsync(new UndoScope(All: true)));

        Assert.Contains("V2 create b has no undo script (2_<title>.down.sql)", e.Message);
        Assert.Equal("2", await StateAsync());
    }

    [Fact]
    public async Task An_empty_down_file_undoes_as_a_no_op_so_undo_all_passes()
    {
        WriteSet();
        Dir.Write("3_backfill.up.sql", "INSERT INTO b VALUES (2);");
        Dir.Write("3_backfill.down.sql", "");
        await MigrateAsync();

        Assert.Equal(3, (await UndoAsync(new UndoScope(All: true))).Count);

        Assert.Equal("empty", await StateAsync());
        Assert.Equal(3, (await MigrateAsync()).Count); // and the whole set applies again
    }

    [Fact]
    public async Task A_failure_outside_a_transaction_leaves_the_version_dirty_and_repair_recovers()
    {
        WriteSet();
        Dir.Write("3_idx.up.sql", "CREATE INDEX CONCURRENTLY b_x ON b (missing);");
        Dir.Write("3_idx.down.sql", "DROP INDEX CONCURRENTLY IF EXISTS b_x;");

        await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("3 dirty", await StateAsync());
        Assert.Contains(await InfoAsync(), i => i.Version?.Text == "3" && i.State == MigrationState.Failed);

        var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("ValidationFailed", refused.ErrorId);
        Assert.Contains("run repair", refused.Message);

        var changes = await RepairOperation.RepairAsync(Request(), new RecordingSink(), CancellationToken.None);
        Assert.Equal([RepairAction.RemovedFailedRow], changes.Select(c => c.Action));
        Assert.Equal("2", await StateAsync());

        Dir.Write("3_idx.up.sql", "CREATE INDEX CONCURRENTLY b_x ON b (id);");
        Assert.Equal(["3"], (await MigrateAsync()).Select(r => r.Version?.Text));
        Assert.Equal("3", await StateAsync());
    }

    [Fact]
    public async Task Continues_a_database_golang_migrate_left_at_a_version()
    {
        // What golang-migrate leaves after `migrate up 2`: the changes of 1 and 2, and one clean row saying 2.
        WriteSet();
        Dir.Write("3_c.up.sql", "CREATE TABLE c (id int);");
        Dir.Write("3_c.down.sql", "DROP TABLE c;");
        await ExecAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version bigint not null primary key, dirty boolean not null); " +
                        "CREATE TABLE a (id int); CREATE TABLE b (id int); INSERT INTO schema_migrations (version, dirty) VALUES (2, false);");

        Assert.Equal(["3"], (await MigrateAsync()).Select(r => r.Version?.Text));
        Assert.Equal("3", await StateAsync());

        await UndoAsync(UndoScope.Last(2));
        Assert.Equal("1", await StateAsync());
        Assert.False(await TableExistsAsync("b"));
    }

    [Fact]
    public async Task A_dirty_database_written_by_golang_migrate_is_reported_as_failed()
    {
        WriteSet();
        await ExecAsync("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, true);");

        var infos = await InfoAsync();

        Assert.Equal([("1", MigrationState.Success), ("2", MigrationState.Failed)], infos.Select(i => (i.Version?.Text, i.State)));
    }

    [Fact]
    public async Task Baseline_is_golang_migrates_force()
    {
        WriteSet();
        await ExecAsync("CREATE TABLE a (id int)");

        await BaselineOperation.BaselineAsync(Request(s => s with { Layout = MigrationLayout.GolangMigrate, BaselineVersion = "1" }), new RecordingSink(), CancellationToken.None);

        Assert.Equal("1", await StateAsync());
        Assert.Equal(["2"], (await MigrateAsync()).Select(r => r.Version?.Text));
    }

    [Fact]
    public async Task Takes_golang_migrates_own_advisory_lock()
    {
        WriteSet();
        var store = new Engine.History.GolangMigrateHistoryTable(new Npgsql.NpgsqlConnection(), new("public", "schema_migrations"), []);
        Assert.Equal(1787120056L, store.LockKey("app")); // crc32("public\0schema_migrations\0app") * 1486364155 mod 2^32, computed with zlib

        var database = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var holder = new Npgsql.NpgsqlConnection(ConnectionString);
        await holder.OpenAsync();
        await using (var cmd = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({store.LockKey(database)})", holder)) await cmd.ExecuteNonQueryAsync();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { LockWaitTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal("MigrationLockTimeout", e.ErrorId);
        Assert.Contains("golang-migrate", e.Message);
        Assert.False(await TableExistsAsync("a"));
    }

    [Fact]
    public async Task A_golang_migrate_table_named_for_the_flyway_layout_is_refused_with_a_hint()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        await ExecAsync("CREATE TABLE hist (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync(s => s with { Table = "hist" }));

        Assert.Equal("HistoryTableShape", e.ErrorId);
        Assert.Contains("golang-migrate's history table", e.Message);
        Assert.Contains("--layout golang-migrate", e.Message);
    }
}
