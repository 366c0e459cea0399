using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// A CREATE INDEX CONCURRENTLY that fails (duplicates under a UNIQUE index, a deadlock, Ctrl+C) leaves its index
/// behind INVALID. Run again as the linter advises (IF NOT EXISTS), PostgreSQL passed over it with a notice and the
/// migration was recorded as applied, its unique index enforcing nothing. Found by hand: fail, fix the data, repair,
/// migrate: "applied", index INVALID.
/// </summary>
public class InvalidIndexTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private const string Table = "CREATE TABLE t (id int, email text);\nINSERT INTO t VALUES (1, 'a'), (2, 'a');\n";
    private const string UniqueIndex = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_email ON t (email);\n";

    private Task<IReadOnlyList<RepairChange>> RepairAsync(RecordingSink? sink = null) => RepairOperation.RepairAsync(Request(), sink ?? new RecordingSink(), CancellationToken.None);

    private Task<bool?> IndexValidAsync(string name) =>
        ScalarAsync<bool?>($"SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('{name}')");

    [Fact]
    public async Task The_failed_build_names_the_invalid_index_and_the_rerun_stops_at_it_instead_of_recording_it_applied()
    {
        Dir.Write("V1__t.sql", Table);
        Dir.Write("V2__idx.sql", UniqueIndex);

        var failed = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("MigrationFailed", failed.ErrorId);
        Assert.Contains("It left the INVALID index public.t_email behind", failed.Message);
        Assert.Contains("DROP INDEX CONCURRENTLY public.t_email", failed.Message);
        Assert.False(await IndexValidAsync("t_email"));

        // The runbook's next steps: fix the data, repair the failed row, migrate again.
        await ExecAsync("DELETE FROM t WHERE id = 2");
        var repairing = new RecordingSink();
        await RepairAsync(repairing); // says what is in the way before the re-run meets it
        Assert.Contains(repairing.Warnings, w => w.Contains("INVALID index public.t_email on t") && w.Contains("DROP INDEX CONCURRENTLY public.t_email"));
        var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("InvalidIndexInTheWay", refused.ErrorId);
        Assert.StartsWith($"{Path.Combine(Dir.Path, "V2__idx.sql")}:1: the index public.t_email exists but is INVALID", refused.Message);
        Assert.Contains("DROP INDEX CONCURRENTLY public.t_email", refused.Message);
        Assert.Equal("2", refused.Version);
        Assert.EndsWith("|false", (await HistoryAsync())[^1]); // failed, not applied
        Assert.False(await IndexValidAsync("t_email"));

        // Cleared as the message says, it applies and the index works.
        await ExecAsync("DROP INDEX CONCURRENTLY public.t_email");
        await RepairAsync();
        Assert.Single(await MigrateAsync());
        Assert.True(await IndexValidAsync("t_email"));
        Assert.All(await HistoryAsync(), row => Assert.EndsWith("|true", row));
    }

    [Fact]
    public async Task A_script_that_drops_the_leftover_itself_is_not_stopped()
    {
        // Left INVALID by hand, in schemas of their own (public, the managed schema, stays empty as a first migration expects).
        await ExecAsync("CREATE SCHEMA data; CREATE TABLE data.t (email text); INSERT INTO data.t VALUES ('a'), ('a'); " +
                        "CREATE SCHEMA app; CREATE TABLE app.\"Orders\" (n int); INSERT INTO app.\"Orders\" VALUES (1), (1);");
        foreach (var build in new[] { "CREATE UNIQUE INDEX CONCURRENTLY t_email ON data.t (email)", "CREATE UNIQUE INDEX CONCURRENTLY \"Orders_N\" ON app.\"Orders\" (n)" })
            await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => ExecAsync(build));
        await ExecAsync("DELETE FROM data.t WHERE ctid = (SELECT min(ctid) FROM data.t); DELETE FROM app.\"Orders\" WHERE ctid = (SELECT min(ctid) FROM app.\"Orders\")");
        Dir.Write("V1__idx.sql", "DROP INDEX CONCURRENTLY IF EXISTS data.t_email;\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_email ON data.t (email);\n");

        Assert.Single(await MigrateAsync());
        Assert.True(await IndexValidAsync("data.t_email"));

        // Quoted and schema-qualified names are looked up as the server reads them.
        Dir.Write("V2__orders.sql", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Orders_N\" ON ONLY app.\"Orders\" (n);\n");
        var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("InvalidIndexInTheWay", refused.ErrorId);
        Assert.Contains("app.\"Orders_N\"", refused.Message);
    }

    [Fact]
    public async Task A_plain_build_in_a_transaction_stops_at_the_leftover_before_anything_runs()
    {
        // The concurrent build failed; the team rewrote the migration as a plain one, in a transaction.
        Dir.Write("V1__t.sql", Table);
        Assert.Single(await MigrateAsync());
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => ExecAsync("CREATE UNIQUE INDEX CONCURRENTLY t_email ON t (email)"));
        await ExecAsync("DELETE FROM t WHERE id = 2");
        Dir.Write("V2__idx.sql", "CREATE TABLE audit (id int);\nCREATE UNIQUE INDEX IF NOT EXISTS t_email ON t (email);\n");

        var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("InvalidIndexInTheWay", refused.ErrorId);
        Assert.Contains("V2__idx.sql:2: the index public.t_email exists but is INVALID", refused.Message);
        Assert.Contains("nothing of it ran, nothing recorded", refused.Message);
        Assert.DoesNotContain("repair", refused.Message);
        Assert.False(await TableExistsAsync("audit"));
        Assert.Single(await HistoryAsync());

        // With the drop first in the same script, the leftover is replaced.
        Dir.Write("V2__idx.sql", "DROP INDEX IF EXISTS t_email;\nCREATE UNIQUE INDEX IF NOT EXISTS t_email ON t (email);\n");
        Assert.Single(await MigrateAsync());
        Assert.True(await IndexValidAsync("t_email"));
    }

    [Fact]
    public async Task Through_a_transaction_pooler_the_plain_build_stops_at_the_leftover_too()
    {
        Dir.Write("V1__t.sql", Table);
        Assert.Single(await MigrateAsync());
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => ExecAsync("CREATE UNIQUE INDEX CONCURRENTLY t_email ON t (email)"));
        await ExecAsync("DELETE FROM t WHERE id = 2");
        Dir.Write("V2__idx.sql", "CREATE UNIQUE INDEX IF NOT EXISTS t_email ON t (email);\n");
        var database = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2, roundRobin: true);
        await bouncer.WarmAsync(database, 2);
        var pooled = new MigrationRequest(SchemaOps.Engine.Connections.ConnectionTarget.Parse(bouncer.ConnectionString(database)), new MigrationSettings { Locations = [Dir.Path] });

        var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(pooled, new RecordingSink(), CancellationToken.None));

        Assert.Equal("InvalidIndexInTheWay", refused.ErrorId);
        Assert.Single(await HistoryAsync());
        Assert.False(await IndexValidAsync("t_email"));
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x)", "i", "t", true, true)]
    [InlineData("create unique index if not exists \"I x\" on only app.\"T\" using btree (x)", "I x", "app.\"T\"", true, false)]
    [InlineData("CREATE INDEX CONCURRENTLY ON s.t (x)", null, "s.t", false, true)]
    [InlineData("CREATE INDEX /* c */ Big_Idx ON t (x)", "big_idx", "t", false, false)]
    public void Index_creations_are_read_with_their_names_folded_as_postgresql_folds_them(string sql, string? name, string table, bool ifNotExists, bool concurrently)
    {
        var statement = Assert.Single(SqlSplitter.Split(sql, "x.sql"));

        Assert.Equal(new InvalidIndexes.IndexCreation(name, table, ifNotExists, concurrently), InvalidIndexes.Read(statement, sql));
    }

    [Theory]
    [InlineData("CREATE TABLE i (x int)")]
    [InlineData("CREATE INDEX")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS i")]
    public void Other_statements_are_not_index_creations(string sql) =>
        Assert.Null(InvalidIndexes.Read(Assert.Single(SqlSplitter.Split(sql, "x.sql")), sql));
}
