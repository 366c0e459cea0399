using Npgsql;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// A schema dumped with the installed pg_dump and kept as a baseline migration, as teams adopting migrations do:
/// pg_dump (15.14 and later) wraps it in psql's \restrict / \unrestrict lines, which Flyway and dbmate send to the
/// server and fail on. Applied here as psql applies it; any other psql command stops the run before anything changes.
/// And the dump empties its session's search path: what a script sets for its session must not outlive the script.
/// </summary>
public class PgDumpBaselineTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    [Fact]
    public async Task A_pg_dump_schema_with_its_restrict_lines_applies_as_psql_applies_it()
    {
        var source = await _pg.NewDatabaseAsync();
        await using (var conn = new NpgsqlConnection(source))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                CREATE TYPE mood AS ENUM ('sad', 'ok');
                CREATE TABLE person (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL CHECK (name <> E'\\'), m mood);
                CREATE INDEX person_name ON person (name);
                CREATE VIEW named AS SELECT id, name FROM person WHERE name LIKE 'a\_%';
                CREATE FUNCTION slash(t text) RETURNS text LANGUAGE sql AS $$ SELECT replace(t, '\', '/') $$;
                """, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var sourceDb = new NpgsqlConnectionStringBuilder(source).Database!;
        var dump = await PgTools.DumpAsync(_pg, sourceDb, "--schema-only", "--no-owner", "--no-privileges");
        Assert.Contains("\n\\restrict ", dump); // what this test is about: the installed pg_dump writes the pair
        var file = Dir.Write("V1__baseline.sql", dump);
        // The dump empties the search path for its session (set_config('search_path', '', false)): the next migration,
        // written without a schema as migrations are, must still find one.
        Dir.Write("V2__pet.sql", "CREATE TABLE pet (id int);");

        var applied = await MigrateAsync();

        Assert.Equal([MigrationOutcome.Applied, MigrationOutcome.Applied], applied.Select(a => a.Outcome));
        Assert.Equal("pet", await ScalarAsync<string>("SELECT to_regclass('public.pet')::text")); // in public, the schema every migration starts in
        await ExecAsync("DROP TABLE public.pet");
        var targetDb = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        Assert.Equal(await PgTools.SchemaAsync(_pg, sourceDb), await PgTools.SchemaAsync(_pg, targetDb, "public.flyway_schema_history"));
        // The checksum is the file's as Flyway computes it, \restrict lines included: validate and a hand-back agree.
        Assert.Equal(FlywayChecksum.Compute(await File.ReadAllTextAsync(file)), await ScalarAsync<int>("SELECT checksum FROM flyway_schema_history WHERE version = '1'"));
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed, r.Detail));
    }

    [Fact]
    public async Task A_role_or_setting_a_migration_leaves_set_is_gone_for_the_next_and_for_its_history_row()
    {
        var role = $"schemaops_r{Guid.NewGuid():N}"[..24];
        await ExecAsync($"CREATE ROLE {role}; GRANT ALL ON SCHEMA public TO {role}");
        try
        {
            Dir.Write("V1__as_role.sql", $"SET ROLE {role};\nSET client_min_messages = error;\nCREATE TABLE owned (id int);");
            Dir.Write("V2__after.sql", "CREATE TABLE seen AS SELECT current_user::text AS u, current_setting('client_min_messages') AS cmm;");

            await MigrateAsync();

            Assert.Equal(role, await ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'owned'")); // the script ran as its role
            Assert.Equal("postgres / notice", await ScalarAsync<string>("SELECT u || ' / ' || cmm FROM seen"));
            Assert.Equal("postgres", await ScalarAsync<string>("SELECT installed_by FROM flyway_schema_history WHERE version = '1'"));
        }
        finally
        {
            await ExecAsync($"DROP TABLE IF EXISTS owned; DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_role_a_beforeEachMigrate_callback_sets_holds_for_its_migration_only()
    {
        var role = $"schemaops_r{Guid.NewGuid():N}"[..24];
        await ExecAsync($"CREATE ROLE {role}; GRANT ALL ON SCHEMA public TO {role}");
        try
        {
            Dir.Write("beforeEachMigrate.sql", $"SET ROLE {role};"); // Flyway's way to run migrations as another role
            Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
            Dir.Write("V2__b.sql", "CREATE TABLE b (id int);");

            await MigrateAsync();

            Assert.Equal($"{role} {role}", await ScalarAsync<string>("SELECT string_agg(tableowner::text, ' ' ORDER BY tablename) FROM pg_tables WHERE tablename IN ('a', 'b')"));
            Assert.Equal("postgres", await ScalarAsync<string>("SELECT string_agg(DISTINCT installed_by, ',') FROM flyway_schema_history"));
        }
        finally
        {
            await ExecAsync($"DROP TABLE IF EXISTS a, b; DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task The_dry_run_plan_of_a_dumped_baseline_and_the_next_migration_runs_in_psql()
    {
        Dir.Write("V1__base.sql", "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.base (id int);");
        Dir.Write("V2__pet.sql", "CREATE TABLE pet (id int);");
        var plan = Path.Combine(Dir.Path, "plan.out");

        await MigrateOperation.DryRunAsync(Request(), plan, new RecordingSink(), CancellationToken.None);
        await PgTools.PsqlFileAsync(_pg, new NpgsqlConnectionStringBuilder(ConnectionString).Database!, plan);

        Assert.Equal("pet", await ScalarAsync<string>("SELECT to_regclass('public.pet')::text")); // in public, the schema every migration starts in
    }

    [Fact]
    public async Task Any_other_psql_command_stops_the_run_before_anything_is_applied()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);\n\\i seed.sql\n");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("PsqlMetaCommand", e.ErrorId);
        Assert.Contains("V2__b.sql:2: \\i is a psql command", e.Message);
        Assert.Null(await ScalarAsync<string>("SELECT to_regclass('flyway_schema_history')::text"));
        Assert.Null(await ScalarAsync<string>("SELECT to_regclass('a')::text"));
    }
}
