using Npgsql;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// A schema dumped with the installed pg_dump and kept as a baseline migration, as teams adopting migrations do:
/// pg_dump (15.14 and later) wraps it in psql's \restrict / \unrestrict lines, which Flyway and dbmate send to the
/// server and fail on. Applied here as psql applies it; any other psql command stops the run before anything changes.
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

        var applied = await MigrateAsync();

        Assert.Equal(MigrationOutcome.Applied, applied.Single().Outcome);
        var targetDb = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        Assert.Equal(await PgTools.SchemaAsync(_pg, sourceDb), await PgTools.SchemaAsync(_pg, targetDb, "public.flyway_schema_history"));
        // The checksum is the file's as Flyway computes it, \restrict lines included: validate and a hand-back agree.
        Assert.Equal(FlywayChecksum.Compute(await File.ReadAllTextAsync(file)), await ScalarAsync<int>("SELECT checksum FROM flyway_schema_history WHERE version = '1'"));
        Assert.All(await ValidateAsync(), r => Assert.True(r.Passed, r.Detail));
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
