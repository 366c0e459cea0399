using Npgsql;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>The dry-run script changes nothing, and run by psql it does what migrate does.</summary>
public class DryRunTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private string Database => new NpgsqlConnectionStringBuilder(ConnectionString).Database!;

    private Task<IReadOnlyList<MigrationResult>> DryRunAsync(string file, Func<MigrationSettings, MigrationSettings>? tweak = null) =>
        MigrateOperation.DryRunAsync(Request(tweak), file, new RecordingSink(), CancellationToken.None);

    private void WriteFlywaySet()
    {
        Dir.Write("V1__users.sql", "CREATE TYPE role AS ENUM ('admin', 'user');\nCREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, role role NOT NULL DEFAULT 'user');");
        Dir.Write("V2__it's_quoted.sql", "INSERT INTO users (name) VALUES ('O''Brien'), (E'back\\\\slash');\nCREATE FUNCTION greet(n text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'hi ' || n; END $$;");
        Dir.Write("V3__index.sql", "CREATE INDEX CONCURRENTLY users_name ON users (name);");
        Dir.Write("R__names.sql", "CREATE OR REPLACE VIEW names AS SELECT name FROM users;");
    }

    /// <summary>History rows without the columns that depend on when and how fast.</summary>
    private async Task<List<string>> HistoryOfAsync(string connectionString, string table = "flyway_schema_history")
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT concat_ws('|', installed_rank, version, description, type, script, checksum, installed_by, success) FROM {table} ORDER BY installed_rank", conn);
        var rows = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add(r.GetString(0));
        return rows;
    }

    [Fact]
    public async Task The_script_changes_nothing_and_psql_running_it_makes_what_migrate_makes()
    {
        WriteFlywaySet();
        var file = Path.Combine(Dir.Path, "..", Path.GetFileName(Dir.Path) + "-plan.sql");

        var planned = await DryRunAsync(file, s => s with { Schemas = ["app"] });

        Assert.Equal(["1", "2", "3", null], planned.Select(p => p.Version?.Text));
        Assert.All(planned, p => Assert.Equal(MigrationOutcome.Planned, p.Outcome));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'")); // not even the schema
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("BEGIN;\nSET LOCAL lock_timeout = 2000;\nCREATE TYPE role", text);
        Assert.Contains("-- V3 index: ", text);
        Assert.Contains("without a transaction (CREATE INDEX CONCURRENTLY at line 1)", text);

        await PgTools.PsqlFileAsync(_pg, Database, file);
        var other = await _pg.NewDatabaseAsync();
        await MigrateOperation.MigrateAsync(new MigrationRequest(Engine.Connections.ConnectionTarget.Parse(other), new MigrationSettings { Locations = [Dir.Path], Schemas = ["app"] }),
            new RecordingSink(), CancellationToken.None);

        Assert.Equal(await PgTools.SchemaAsync(_pg, new NpgsqlConnectionStringBuilder(other).Database!), await PgTools.SchemaAsync(_pg, Database));
        Assert.Equal(await HistoryOfAsync(other, "app.flyway_schema_history"), await HistoryOfAsync(ConnectionString, "app.flyway_schema_history"));
        Assert.Equal("O'Brien", await ScalarAsync<string>("SELECT name FROM app.users ORDER BY id LIMIT 1"));
        Assert.All(await ValidateAsync(s => s with { Schemas = ["app"] }), r => Assert.True(r.Passed, r.Detail));
        File.Delete(file);
    }

    [Fact]
    public async Task Only_pending_migrations_are_planned_and_dbmate_history_is_written_its_way()
    {
        Dir.Write("20240101000000_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        await MigrateAsync();
        Dir.Write("20240102000000_b.sql", "-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n");
        var file = Path.Combine(Path.GetTempPath(), $"schemaops-plan-{Guid.NewGuid():N}.sql");

        Assert.Equal(["20240102000000"], (await DryRunAsync(file)).Select(p => p.Version?.Text));
        Assert.False(await TableExistsAsync("b"));

        await PgTools.PsqlFileAsync(_pg, Database, file);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM schema_migrations_checksums"));
        Assert.Empty(await MigrateAsync());
        File.Delete(file);
    }

    [Fact]
    public async Task An_unwritable_file_is_a_clear_error_that_leaves_nothing_behind()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => DryRunAsync(Path.Combine(Dir.Path, "no-such-folder", "plan.sql")));
        Assert.Equal("DryRunWriteFailed", e.ErrorId);
        Assert.Contains("no-such-folder", e.Message);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
    }
}
