using Npgsql;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// COPY ... FROM stdin blocks, as pg_dump writes them into data migrations: run through Npgsql's COPY support
/// like psql runs them, in a transaction with the history row or statement by statement, and in dry-run plans.
/// </summary>
public class CopyFromStdinTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    // Values that break a naive splitter or lexer: quotes, semicolons, comment markers, tabs, newlines,
    // backslashes, a value that is \. itself, NULL, and multi-byte text.
    private const string Rows = """
        INSERT INTO src VALUES
          (1, 'it''s; done'), (2, '-- not a comment'), (3, E'tab\there\nnewline'), (4, E'back\\slash'),
          (5, E'\\.'), (6, NULL), (7, '/* open'), (8, 'ünïcödé ✓'), (9, '$$'), (10, '');
        """;

    private string Database => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    /// <summary>pg_dump's data section of a table with every awkward value, from another database: the migration.</summary>
    private async Task<string> DumpedDataAsync()
    {
        var source = await _pg.NewDatabaseAsync();
        await using (var conn = new NpgsqlConnection(source))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE TABLE src (id int PRIMARY KEY, v text);" + Rows, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var dump = await PgTools.DumpAsync(_pg, new NpgsqlConnectionStringBuilder(source).Database!, "--data-only", "--table=src");
        // As pg_dump wrote it, its \restrict / \unrestrict lines included (passed over, as psql's own commands).
        Assert.Contains("COPY public.src (id, v) FROM stdin;", dump);
        return dump;
    }

    private Task<string?> DataAsync() => ScalarAsync<string>("SELECT string_agg(id || ':' || coalesce(v, '<null>'), '|' ORDER BY id) FROM src");

    private static string Expected => "1:it's; done|2:-- not a comment|3:tab\there\nnewline|4:back\\slash|5:\\.|6:<null>|7:/* open|8:ünïcödé ✓|9:$$|10:";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pg_dump_data_section_applies_as_psql_applies_it(bool inTransaction)
    {
        Dir.Write("V1__table.sql", "CREATE TABLE src (id int PRIMARY KEY, v text);");
        Dir.Write("V2__data.sql", await DumpedDataAsync());
        if (!inTransaction) Dir.Write("V2__data.sql.conf", "executeInTransaction=false\n");

        var applied = await MigrateAsync();

        Assert.Equal(inTransaction, applied[1].InTransaction);
        Assert.Equal(Expected, await DataAsync());
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE success"));
    }

    [Fact]
    public async Task The_dry_run_plan_carries_the_data_and_psql_applies_it_the_same()
    {
        Dir.Write("V1__table.sql", "CREATE TABLE src (id int PRIMARY KEY, v text);");
        Dir.Write("V2__data.sql", await DumpedDataAsync());
        var plan = Path.Combine(Dir.Path, "plan.out");

        await MigrateOperation.DryRunAsync(Request(), plan, new RecordingSink(), CancellationToken.None);
        Assert.False(await TableExistsAsync("src"));
        await PgTools.PsqlFileAsync(_pg, Database, plan);

        Assert.Equal(Expected, await DataAsync());
        Assert.Equal(0, (await InfoAsync()).Count(i => i.State == MigrationState.Pending));
    }

    [Fact]
    public async Task A_bad_row_fails_at_the_copy_and_nothing_of_the_migration_stays()
    {
        Dir.Write("V1__data.sql", "CREATE TABLE src (id int PRIMARY KEY, v text);\nINSERT INTO src VALUES (0, 'before');\nCOPY src (id, v) FROM stdin;\n1\tone\nnot-a-number\ttwo\n\\.\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("MigrationFailed", e.ErrorId);
        Assert.Contains("V1__data.sql:3: 22P02", e.Message);
        Assert.False(await TableExistsAsync("src"));
        Assert.False(await TableExistsAsync("flyway_schema_history") && await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history WHERE version = '1'") > 0);
    }
}
