using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Impact;
using SchemaOps.Engine.Lint;
using SchemaOps.Engine.Sql;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Impact;

public class ImpactTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private static StatementLock Classify(string sql, int major = 15) =>
        StatementLocks.Of(new LintStatement(SqlSplitter.Split(sql, "f.sql")[0], sql), major);

    [Theory]
    [InlineData("CREATE INDEX orders_total ON orders (total)", LockMode.Share, StatementLocks.Index, "\"orders\"")]
    [InlineData("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS o ON billing.orders (id)", LockMode.ShareUpdateExclusive, StatementLocks.Index, "\"billing\".\"orders\"")]
    [InlineData("DROP INDEX orders_total", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders_total\"")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS orders_total", LockMode.ShareUpdateExclusive, StatementLocks.Catalog, "\"orders_total\"")]
    [InlineData("ALTER TABLE orders ADD COLUMN note text", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid()", LockMode.AccessExclusive, StatementLocks.Rewrite, "\"orders\"")]
    [InlineData("ALTER TABLE orders ADD COLUMN n bigserial", LockMode.AccessExclusive, StatementLocks.Rewrite, "\"orders\"")]
    [InlineData("ALTER TABLE orders ALTER COLUMN total TYPE bigint", LockMode.AccessExclusive, StatementLocks.Rewrite, "\"orders\"")]
    [InlineData("ALTER TABLE orders ALTER COLUMN total SET NOT NULL", LockMode.AccessExclusive, StatementLocks.Scan, "\"orders\"")]
    [InlineData("ALTER TABLE orders ALTER COLUMN total DROP NOT NULL", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0)", LockMode.AccessExclusive, StatementLocks.Scan, "\"orders\"")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders VALIDATE CONSTRAINT positive", LockMode.ShareUpdateExclusive, StatementLocks.Scan, "\"orders\"")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id)", LockMode.ShareRowExclusive, StatementLocks.Scan, "\"orders\",\"customers\"")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID", LockMode.ShareRowExclusive, StatementLocks.Catalog, "\"orders\",\"customers\"")]
    [InlineData("ALTER TABLE orders ADD PRIMARY KEY (id)", LockMode.AccessExclusive, StatementLocks.Index, "\"orders\"")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT orders_pk PRIMARY KEY USING INDEX orders_id", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders RENAME COLUMN total TO amount", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders DROP COLUMN note", LockMode.AccessExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders SET (fillfactor = 70)", LockMode.ShareUpdateExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("ALTER TABLE orders SET LOGGED", LockMode.AccessExclusive, StatementLocks.Rewrite, "\"orders\"")]
    [InlineData("UPDATE orders SET total = 0 WHERE total IS NULL", LockMode.RowExclusive, StatementLocks.Rows, "\"orders\"")]
    [InlineData("DELETE FROM ONLY orders WHERE id < 10", LockMode.RowExclusive, StatementLocks.Rows, "\"orders\"")]
    [InlineData("INSERT INTO orders (id) VALUES (1)", LockMode.RowExclusive, StatementLocks.Rows, "\"orders\"")]
    [InlineData("TRUNCATE TABLE orders", LockMode.AccessExclusive, StatementLocks.Truncates, "\"orders\"")]
    [InlineData("DROP TABLE IF EXISTS orders", LockMode.AccessExclusive, StatementLocks.Drops, "\"orders\"")]
    [InlineData("CREATE TRIGGER t BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION f()", LockMode.ShareRowExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("COMMENT ON COLUMN public.orders.total IS 'x'", LockMode.ShareUpdateExclusive, StatementLocks.Catalog, "\"public\".\"orders\"")]
    [InlineData("VACUUM FULL orders", LockMode.AccessExclusive, StatementLocks.Rewrite, "\"orders\"")]
    [InlineData("REFRESH MATERIALIZED VIEW CONCURRENTLY totals", LockMode.Exclusive, StatementLocks.Rewrite, "\"totals\"")]
    [InlineData("LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE", LockMode.ShareRowExclusive, StatementLocks.Catalog, "\"orders\"")]
    [InlineData("CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))", LockMode.ShareRowExclusive, StatementLocks.Creates, "\"orders\"")]
    [InlineData("CREATE TABLE \"Refunds\" (id bigint)", LockMode.None, StatementLocks.Creates, "")]
    [InlineData("CREATE VIEW v AS SELECT 1", LockMode.None, StatementLocks.Creates, "")]
    public void Each_statement_kind_takes_postgresqls_lock_and_names_its_tables(string sql, LockMode mode, string work, string tables)
    {
        var locks = Classify(sql);
        Assert.Equal((mode, work, tables), (locks.Mode, locks.Work, string.Join(",", locks.Names.Select(n => n.Name))));
    }

    [Fact]
    public void Add_column_with_a_default_rewrites_before_11_and_not_since_and_a_volatile_default_always_does()
    {
        Assert.Equal(StatementLocks.Rewrite, Classify("ALTER TABLE t ADD COLUMN c int DEFAULT 0", 10).Work);
        Assert.Equal(StatementLocks.Catalog, Classify("ALTER TABLE t ADD COLUMN c int DEFAULT 0", 11).Work);
        Assert.Equal(StatementLocks.Rewrite, Classify("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp()", 16).Work);
        Assert.Equal(StatementLocks.Catalog, Classify("ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()", 16).Work); // stable: one value for every row
    }

    [Fact]
    public void The_what_if_line_names_the_strongest_lock_and_the_heaviest_work_and_reads_a_huge_statement_by_its_head()
    {
        var sql = "INSERT INTO orders (id) VALUES " + string.Join(", ", Enumerable.Range(1, 5000).Select(i => $"({i})")) + ";\nALTER TABLE orders ADD COLUMN n int;";
        Assert.Equal("ACCESS EXCLUSIVE on orders, row writes", StatementLocks.Summary(SqlSplitter.Split(sql, "f.sql"), sql, 15));
        const string onlyNew = "CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);";
        Assert.Null(StatementLocks.Summary(SqlSplitter.Split(onlyNew, "f.sql"), onlyNew, 15));
    }

    [Fact]
    public void The_conflict_table_is_postgresqls()
    {
        // Rows: requested; columns: held. From the documentation's table 13.2 ("X": conflicts).
        string[] table =
        [
            ".......X", "......XX", "....XXXX", "...XXXXX", "..XX.XXX", "..XXXXXX", ".XXXXXXX", "XXXXXXXX",
        ];
        var modes = Enum.GetValues<LockMode>().Skip(1).ToArray();
        for (var a = 0; a < modes.Length; a++)
            for (var b = 0; b < modes.Length; b++)
                Assert.True(StatementLocks.Conflicts(modes[a], modes[b]) == (table[a][b] == 'X'), $"{modes[a]} vs {modes[b]}");
    }

    [Fact]
    public async Task Against_a_table_with_data_each_pending_statement_has_its_lock_size_rows_blockers_and_findings()
    {
        Dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);");
        await MigrateAsync();
        await ExecAsync("INSERT INTO orders SELECT g, g FROM generate_series(1, 5000) g; ANALYZE orders;");
        Dir.Write("V2__totals.sql", "CREATE INDEX orders_total ON orders (total);\nALTER TABLE orders ADD COLUMN note text;\nCREATE TABLE refunds (id bigint);\n");
        Dir.Write("V3__refunds.sql", "CREATE INDEX refunds_id ON refunds (id);\n"); // on a table a pending migration creates: no one waits

        // A session reading the table in an open transaction: it holds ACCESS SHARE until it ends.
        await using var reader = await OpenReaderAsync("orders");
        var readerPid = reader.ProcessID;

        var impacts = await ImpactOperation.PreviewAsync(Request(), new RecordingSink(), CancellationToken.None);

        Assert.Equal([1, 2, 3, 1], impacts.Select(i => i.Line));
        Assert.Equal(["V2 totals", "V2 totals", "V2 totals", "V3 refunds"], impacts.Select(i => i.Migration));
        Assert.Equal(("", StatementLocks.Index), (impacts[3].LockMode, impacts[3].Work));
        Assert.Empty(impacts[3].Tables);
        var (index, add, create) = (impacts[0], impacts[1], impacts[2]);
        Assert.Equal(("SHARE", StatementLocks.Index, "public.orders"), (index.LockMode, index.Work, Assert.Single(index.Tables)));
        Assert.True(index.Bytes > 100_000, $"{index.Bytes} bytes");
        Assert.Equal(5000, index.Rows);
        Assert.Empty(index.Blockers); // SHARE waits for no reader
        Assert.Contains("require-concurrent-index-creation", index.Findings);
        Assert.Contains("CONCURRENTLY", index.SafeRewrite);

        Assert.Equal(("ACCESS EXCLUSIVE", StatementLocks.Catalog), (add.LockMode, add.Work));
        var blocker = Assert.Single(add.Blockers); // ACCESS EXCLUSIVE waits for the reader, and everyone after waits for it
        Assert.StartsWith($"pid {readerPid} (", blocker);
        Assert.Contains("idle in transaction", blocker);
        Assert.EndsWith("holds AccessShareLock on orders", blocker);

        Assert.Equal(("", StatementLocks.Creates, null), (create.LockMode, create.Work, create.Bytes));
        Assert.Empty(create.Tables);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history")); // nothing changed: V2 is still pending
        Assert.Null(await ScalarAsync<string>("SELECT to_regclass('refunds')::text"));
    }

    [Fact]
    public async Task While_an_ALTER_waits_in_the_lock_queue_the_preview_answers_naming_it_and_an_orphaned_prepared_transaction()
    {
        // The moment a preview is for: someone's ALTER TABLE waits for a lock, and everything behind it queues. The
        // preview queued too (reading a table's size takes a lock) and never answered; and a prepared transaction left
        // behind by an application server, which holds its locks with no session, was not named as in the way.
        Dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);");
        await MigrateAsync();
        await ExecAsync("INSERT INTO orders SELECT g, g FROM generate_series(1, 5000) g; ANALYZE orders;");
        Dir.Write("V2__note.sql", "ALTER TABLE orders ADD COLUMN note text;\n");
        var gid = $"xa-{Guid.NewGuid():N}";
        await ExecAsync($"BEGIN; UPDATE orders SET total = 0 WHERE id = 1; PREPARE TRANSACTION '{gid}'");
        await using var alter = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = "hand-alter", Pooling = false }.ConnectionString);
        await alter.OpenAsync();
        var waiting = new NpgsqlCommand("ALTER TABLE orders ADD COLUMN flag boolean", alter).ExecuteNonQueryAsync();
        try
        {
            for (var i = 0; i < 200 && await ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE pid = {alter.ProcessID} AND NOT granted") == 0; i++) await Task.Delay(25);

            var preview = ImpactOperation.PreviewAsync(Request(), new RecordingSink(), CancellationToken.None);
            var answered = await Task.WhenAny(preview, Task.Delay(TimeSpan.FromSeconds(20))) == preview;

            Assert.True(answered, "the preview queued behind the waiting ALTER");
            var impact = Assert.Single(await preview);
            Assert.True(impact.Bytes > 100_000, $"{impact.Bytes} bytes");
            Assert.Contains(impact.Blockers, b => b.StartsWith($"prepared transaction '{gid}' (owner postgres, prepared ") && b.EndsWith("holds RowExclusiveLock on orders"));
            Assert.Contains(impact.Blockers, b => b.StartsWith($"pid {alter.ProcessID} (postgres, hand-alter, active for ") && b.EndsWith("waits for AccessExclusiveLock on orders"));
        }
        finally
        {
            await ExecAsync($"ROLLBACK PREPARED '{gid}'");
            await waiting;
        }
    }

    [Fact]
    public async Task An_invalid_index_where_a_pending_migration_creates_it_if_not_exists_is_a_finding_with_the_drop()
    {
        Dir.Write("V1__users.sql", "CREATE TABLE users (id bigint, email text);\nINSERT INTO users VALUES (1, 'a'), (2, 'a');");
        await MigrateAsync();
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => ExecAsync("CREATE UNIQUE INDEX CONCURRENTLY users_email ON users (email)"));
        Dir.Write("V2__email.sql", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_id ON users (id);\n");

        var impacts = await ImpactOperation.PreviewAsync(Request(), new RecordingSink(), CancellationToken.None);

        Assert.Contains(ImpactOperation.InvalidIndexInTheWay, impacts[0].Findings);
        Assert.StartsWith("drop it (DROP INDEX CONCURRENTLY public.users_email) first", impacts[0].SafeRewrite);
        Assert.DoesNotContain(ImpactOperation.InvalidIndexInTheWay, impacts[1].Findings);
    }

    [Theory]
    [InlineData("dbmate")]
    [InlineData("golang-migrate")]
    public async Task Only_what_applying_runs_is_previewed_never_the_undo(string layout)
    {
        // dbmate keeps the undo in the same file (its down section), golang-migrate beside it: neither runs on apply.
        if (layout == "dbmate")
        {
            Dir.Write("20240101000000_orders.sql", "-- migrate:up\nCREATE TABLE orders (id bigint);\n-- migrate:down\nDROP TABLE orders;\n");
            Dir.Write("20240215093000_note.sql", "-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\n-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n");
        }
        else
        {
            Dir.Write("20240101000000_orders.up.sql", "CREATE TABLE orders (id bigint);");
            Dir.Write("20240101000000_orders.down.sql", "DROP TABLE orders;");
            Dir.Write("20240215093000_note.up.sql", "ALTER TABLE orders ADD COLUMN note text;");
            Dir.Write("20240215093000_note.down.sql", "ALTER TABLE orders DROP COLUMN note;");
        }
        await MigrateAsync(s => s with { Target = "20240101000000" });

        var impacts = await ImpactOperation.PreviewAsync(Request(), new RecordingSink(), CancellationToken.None);

        var add = Assert.Single(impacts);
        Assert.StartsWith("ALTER TABLE orders ADD COLUMN note", add.Statement);
        Assert.Equal(("ACCESS EXCLUSIVE", "public.orders"), (add.LockMode, Assert.Single(add.Tables)));
    }

    [Fact]
    public async Task Through_a_transaction_pooler_the_preview_names_the_same_blocker()
    {
        Dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
        await MigrateAsync();
        Dir.Write("V2__note.sql", "ALTER TABLE orders ADD COLUMN note text;");
        await using var reader = await OpenReaderAsync("orders");
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 1);
        var pooled = Request() with { Target = ConnectionTarget.Parse(bouncer.ConnectionString(new NpgsqlConnectionStringBuilder(ConnectionString).Database!)) };

        var add = Assert.Single(await ImpactOperation.PreviewAsync(pooled, new RecordingSink(), CancellationToken.None));

        Assert.Equal("ACCESS EXCLUSIVE", add.LockMode);
        Assert.StartsWith($"pid {reader.ProcessID} (", Assert.Single(add.Blockers));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history"));
    }
}
