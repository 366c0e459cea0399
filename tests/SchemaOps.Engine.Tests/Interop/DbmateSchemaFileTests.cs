using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Interop;

/// <summary>
/// The schema file dump writes is the one the real `dbmate dump` writes for the same database, byte for byte, so a
/// team that commits db/schema.sql sees no change whichever tool ran last.
/// </summary>
public class DbmateSchemaFileTests(PostgresFixture pg) : DatabaseTestBase(pg), IDisposable
{
    private readonly PostgresFixture _pg = pg;
    private readonly TempDir _out = new();

    private string Url(string? searchPath = null) =>
        _pg.Server.Url(new NpgsqlConnectionStringBuilder(ConnectionString).Database!) + (searchPath is null ? "" : $"&search_path={searchPath}");

    private void WriteMigrations()
    {
        Dir.Write("20240101000000_create_users.sql", "-- migrate:up\nCREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL);\nCOMMENT ON TABLE users IS 'people  ';\n-- migrate:down\nDROP TABLE users;\n");
        Dir.Write("20240102000000_add_email.sql", "-- migrate:up\nALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_email ON users (email);\n-- migrate:down\nALTER TABLE users DROP COLUMN email;\n");
        Dir.Write("20240103000000_create_orders.sql", "-- migrate:up\nCREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE VIEW order_count AS SELECT user_id, count(*) FROM orders GROUP BY user_id;\n-- migrate:down\nDROP TABLE orders CASCADE;\n");
    }

    private static Task<SchemaDump> DumpAsync(SchemaOps.Engine.Operations.MigrationRequest request, string path) =>
        SchemaDumpOperation.DumpAsync(request, path, null, new RecordingSink(), CancellationToken.None);

    [Fact]
    public async Task Dump_writes_what_dbmate_dump_writes_after_either_tool_applied_and_leaves_an_unchanged_file_untouched()
    {
        WriteMigrations();
        File.Move(Path.Combine(Dir.Path, "20240103000000_create_orders.sql"), Path.Combine(_out.Path, "later.sql"));
        var (code, output) = await Dbmate.RunAsync(Url(), Dir.Path, "migrate");
        Assert.True(code == 0, output);
        File.Move(Path.Combine(_out.Path, "later.sql"), Path.Combine(Dir.Path, "20240103000000_create_orders.sql"));
        Assert.Single(await MigrateAsync()); // SchemaOps applies the third, with its checksum table beside dbmate's

        var theirs = Path.Combine(_out.Path, "theirs.sql");
        await Dbmate.DumpAsync(Url(), Dir.Path, theirs);
        var ours = Path.Combine(_out.Path, "db", "schema.sql"); // the folder is created, as dbmate does
        var dump = await DumpAsync(Request(), ours);

        Assert.Equal(File.ReadAllText(theirs), File.ReadAllText(ours));
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(ours));
        Assert.Contains("INSERT INTO public.schema_migrations (version) VALUES\n    ('20240101000000'),\n    ('20240102000000'),\n    ('20240103000000');\n", File.ReadAllText(ours));
        Assert.Equal((true, 3, "20240103000000", new FileInfo(ours).Length), (dump.Changed, dump.Versions, dump.MigrationVersion?.Text, dump.SizeBytes));

        var old = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(ours, old);
        var again = await DumpAsync(Request(), ours);
        Assert.False(again.Changed);
        Assert.Equal(old, File.GetLastWriteTimeUtc(ours));
        Assert.Equal(["schema.sql"], Directory.GetFiles(Path.GetDirectoryName(ours)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task With_a_search_path_in_the_url_it_dumps_that_schema_and_names_its_history_table_as_dbmate_does()
    {
        WriteMigrations();
        var (code, output) = await Dbmate.RunAsync(Url("app"), Dir.Path, "migrate");
        Assert.True(code == 0, output);
        var theirs = Path.Combine(_out.Path, "theirs.sql");
        await Dbmate.DumpAsync(Url("app"), Dir.Path, theirs);
        await ExecAsync("CREATE TABLE public.not_dumped (id int)");

        var ours = Path.Combine(_out.Path, "schema.sql");
        var request = Request() with { Target = ConnectionTarget.Parse(ConnectionString + ";Search Path=app") };
        var dump = await DumpAsync(request, ours);

        Assert.Equal(File.ReadAllText(theirs), File.ReadAllText(ours));
        Assert.Contains("INSERT INTO app.schema_migrations (version) VALUES", File.ReadAllText(ours));
        Assert.DoesNotContain("not_dumped", File.ReadAllText(ours));
        Assert.Equal(["app"], dump.Schemas);
    }

    [Fact]
    public async Task A_failed_pg_dump_is_an_error_and_leaves_the_schema_file_as_it_was()
    {
        WriteMigrations();
        Assert.Equal(3, (await MigrateAsync()).Count);
        var path = Path.Combine(_out.Path, "schema.sql");
        File.WriteAllText(path, "the committed file\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => DumpAsync(Request(s => s with { Schemas = ["no_such_schema"] }), path));

        Assert.Equal(ErrorCatalog.SchemaDumpFailed, e.Kind);
        Assert.Contains("no matching schemas were found", e.Message);
        Assert.Equal("the committed file\n", File.ReadAllText(path));
        Assert.Equal(["schema.sql"], Directory.GetFiles(_out.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_flyway_history_gets_the_schema_alone_without_dbmate_s_versions()
    {
        Dir.Write("V1__users.sql", "CREATE TABLE users (id int PRIMARY KEY);");
        Assert.Single(await MigrateAsync());
        var path = Path.Combine(_out.Path, "schema.sql");

        var dump = await DumpAsync(Request(), path);

        var text = File.ReadAllText(path);
        Assert.Contains("CREATE TABLE public.users", text);
        Assert.DoesNotContain("Dbmate schema migrations", text);
        Assert.Equal((0, "1"), (dump.Versions, dump.MigrationVersion?.Text));
    }

    [Theory]
    [InlineData("--\n-- PostgreSQL database dump\n--\n\n\\restrict k\n\nSET x = 0;  \nCREATE TABLE t ();\t\n", "\\restrict k\n\nSET x = 0;\nCREATE TABLE t ();\n")]
    [InlineData("-- a\n--b\n\n  \nx\n-- kept once the preamble is over\n\ny", "\nx\n-- kept once the preamble is over\n\ny\n")] // a line of spaces ends the preamble (trimmed to empty)
    [InlineData("\r\n-- c\r\nx\r\ny\r\n", "x\ny\n")]
    [InlineData("-- only comments\n\n", "")]
    public void The_leading_comments_and_trailing_blanks_go_as_dbmate_trims_them(string dumped, string written) =>
        Assert.Equal(written, SchemaDumpOperation.DbmateTrim(dumped));

    [Theory]
    [InlineData("15.13", false)]
    [InlineData("15.14", true)]
    [InlineData("16.9", false)]
    [InlineData("16.10", true)]
    [InlineData("17.5", false)]
    [InlineData("17.6", true)]
    [InlineData("18.0", true)]
    [InlineData("14.19", false)]
    public void The_fixed_restrict_key_is_passed_to_the_pg_dump_versions_that_write_one(string pgDump, bool passed) =>
        Assert.Equal(passed, SchemaDumpOperation.DumpArguments("f", "s", Version.Parse(pgDump), []).Contains("--restrict-key=dbmate"));

    void IDisposable.Dispose()
    {
        Dispose();
        _out.Dispose();
    }
}
