using System.Text.Json;

namespace SchemaOps.Cli.Tests;

/// <summary>The CLI driven by a config file: environments, precedence, production guard rails, fleets of environments, and secrets never printed.</summary>
[Collection(PostgresCollection.Name)]
public class CliConfigTests(PostgresFixture pg) : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private string _dev = "", _live = "";

    public async Task InitializeAsync()
    {
        _dev = await pg.Server.CreateDatabaseAsync();
        _live = await pg.Server.CreateDatabaseAsync();
        _dir.Write("db/migration/V1__users.sql", "CREATE TABLE ${table_name} (id int);");
        _dir.Write("db/migration/U1__users.sql", "DROP TABLE ${table_name};");
        // The passwords are written into the file, as teams do: they must never come back out.
        _dir.Write("schemaops.json", $$"""
            {
              "locations": ["db/migration"],
              "placeholders": { "table_name": "users" },
              "environment": "dev",
              "environments": {
                "dev":  { "url": "{{pg.Server.Url(_dev)}}", "table": "dev_history" },
                "live": { "url": "{{pg.Server.Url(_live)}}", "production": true },
                "down": { "url": "postgres://postgres:{{pg.Server.Password}}@127.0.0.1:1/nowhere" }
              }
            }
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;
    public void Dispose() => _dir.Dispose();

    private Task<CliProcess.Result> RunWith(Dictionary<string, string?> env, params string[] args) =>
        CliProcess.RunAsync([.. args, "--config", Path.Combine(_dir.Path, "schemaops.json")], env);

    private Task<CliProcess.Result> Run(params string[] args) => RunWith([], args);

    [Fact]
    public async Task The_default_environment_gives_url_folders_table_and_placeholders()
    {
        var r = await Run("migrate", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(1L, await pg.ScalarAsync(_dev, "SELECT count(*) FROM dev_history WHERE success"));
        Assert.Equal(true, await pg.ScalarAsync(_dev, "SELECT to_regclass('users') IS NOT NULL"));
        Assert.Equal(false, await pg.ScalarAsync(_live, "SELECT to_regclass('users') IS NOT NULL"));
        AssertNoSecret(r);
    }

    [Fact]
    public async Task A_parameter_beats_an_environment_variable_which_beats_the_config()
    {
        var fromVariable = await RunWith(new() { ["FLYWAY_TABLE"] = "variable_history" }, "migrate");
        Assert.True(fromVariable.ExitCode == 0, fromVariable.ToString());
        Assert.Equal(1L, await pg.ScalarAsync(_dev, "SELECT count(*) FROM variable_history"));

        var fromParameter = await RunWith(new() { ["FLYWAY_TABLE"] = "variable_history" }, "info", "--table", "param_history", "--json");
        Assert.True(fromParameter.ExitCode == 0, fromParameter.ToString());
        Assert.Equal("Pending", JsonDocument.Parse(fromParameter.Stdout).RootElement[0].GetProperty("state").GetString()); // param_history has nothing yet
    }

    [Fact]
    public async Task A_production_environment_refuses_undo_without_confirm_production_and_clean_always()
    {
        Assert.Equal(0, (await Run("migrate", "--environment", "live")).ExitCode);

        var refused = await Run("undo", "--environment", "live", "--json");
        Assert.Equal(3, refused.ExitCode);
        Assert.Equal("ProductionConfirmationRequired", JsonDocument.Parse(refused.Stderr).RootElement.GetProperty("error").GetProperty("id").GetString());
        Assert.Equal(true, await pg.ScalarAsync(_live, "SELECT to_regclass('users') IS NOT NULL"));

        Assert.Equal(0, (await Run("undo", "--environment", "live", "--what-if")).ExitCode); // looking needs no confirmation

        var clean = await Run("clean", "--environment", "live", "--allow-clean", "--json");
        Assert.Equal("CleanRefusedInProduction", JsonDocument.Parse(clean.Stderr).RootElement.GetProperty("error").GetProperty("id").GetString());

        var confirmed = await Run("undo", "--environment", "live", "--confirm-production");
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Equal(false, await pg.ScalarAsync(_live, "SELECT to_regclass('users') IS NOT NULL"));
        AssertNoSecret(refused, clean, confirmed);
    }

    [Fact]
    public async Task Several_environments_are_a_fleet_and_a_failing_one_names_no_secret()
    {
        var r = await Run("migrate", "--environment", "dev", "--environment", "live", "--environment", "down", "--json", "--verbose");
        Assert.Equal(3, r.ExitCode); // one target failed
        var results = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal(2, results.Count(e => e.GetProperty("succeeded").GetBoolean()));
        var down = results.Single(e => !e.GetProperty("succeeded").GetBoolean());
        Assert.Contains("nowhere", down.GetProperty("database").GetString());
        AssertNoSecret(r);
    }

    [Fact]
    public async Task An_unknown_environment_is_a_usage_error_naming_the_known_ones()
    {
        var r = await Run("info", "--environment", "stagin");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dev, live, down", r.Stderr);
    }

    [Fact]
    public async Task A_flyway_projects_target_in_its_conf_or_FLYWAY_TARGET_stops_migrate_there_and_an_unsupported_setting_changes_nothing()
    {
        // flyway.target was skipped with a warning: every pending migration was applied past the version the team pinned.
        using var project = new TempDir();
        project.Write("sql/V1__a.sql", "CREATE TABLE a (id int);");
        project.Write("sql/V2__b.sql", "CREATE TABLE b (id int);");
        project.Write("sql/V3__c.sql", "CREATE TABLE c (id int);");
        var db = await pg.Server.CreateDatabaseAsync();
        project.Write("flyway.conf", $"flyway.url={pg.Server.Url(db)}\nflyway.locations=filesystem:sql\nflyway.target=1\n");

        var pinned = await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path);
        Assert.True(pinned.ExitCode == 0, pinned.ToString());
        Assert.DoesNotContain("target", pinned.Stderr);
        Assert.Equal("1", await pg.ScalarAsync(db, "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"));

        var fromVariable = await CliProcess.RunAsync(["migrate"], new Dictionary<string, string?> { ["FLYWAY_TARGET"] = "2" }, project.Path);
        Assert.True(fromVariable.ExitCode == 0, fromVariable.ToString());
        Assert.Equal("1,2", await pg.ScalarAsync(db, "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"));

        // Placeholders marked another way would be applied unreplaced: refused before anything is read or changed.
        project.Write("flyway.conf", $"flyway.url={pg.Server.Url(db)}\nflyway.locations=filesystem:sql\nflyway.placeholderPrefix=#[\n");
        var refused = await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("flyway.conf:3: 'placeholderPrefix'", refused.Stderr);
        Assert.Contains("UnsupportedSetting", refused.Stderr);
        Assert.Equal("1,2", await pg.ScalarAsync(db, "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"));
        Assert.DoesNotContain(pg.Server.Password, refused.ToString());
    }

    [Fact]
    public async Task A_flyway_projects_initSql_runs_first_and_a_failing_one_exits_3_without_its_text()
    {
        // Refused as unsupported before: a project whose flyway.conf sets the role could not be taken over.
        using var project = new TempDir();
        project.Write("sql/V1__a.sql", "CREATE TABLE a (id int);");
        var db = await pg.Server.CreateDatabaseAsync();
        await pg.ScalarAsync(db, $"CREATE ROLE owner_{db} NOLOGIN");
        project.Write("flyway.conf", $"flyway.url={pg.Server.Url(db)}\nflyway.locations=filesystem:sql\nflyway.initSql=SET ROLE no_such_{db}; SELECT set_config('app.key', 'hunter2', false)\n");

        var failed = await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path);
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("InitSqlFailed", failed.Stderr);
        Assert.Contains($"role \"no_such_{db}\" does not exist", failed.Stderr); // the server's error, not the SQL
        Assert.DoesNotContain("hunter2", failed.ToString());
        Assert.Null(await pg.ScalarAsync(db, "SELECT to_regclass('flyway_schema_history')::text"));

        project.Write("flyway.conf", $"flyway.url={pg.Server.Url(db)}\nflyway.locations=filesystem:sql\nflyway.initSql=SET ROLE owner_{db}\n");
        await pg.ScalarAsync(db, $"GRANT CREATE ON SCHEMA public TO owner_{db}");
        var applied = await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal($"owner_{db}", await pg.ScalarAsync(db, "SELECT tableowner FROM pg_tables WHERE tablename = 'a'"));
    }

    [Fact]
    public async Task A_script_mixing_CONCURRENTLY_with_other_changes_is_refused_unless_mixed_by_flag_variable_or_config()
    {
        using var project = new TempDir();
        project.Write("sql/V1__t.sql", "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");
        var db = await pg.Server.CreateDatabaseAsync();
        project.Write("flyway.conf", $"flyway.url={pg.Server.Url(db)}\nflyway.locations=filesystem:sql\n");

        var refused = await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("V1__t.sql:2: CREATE INDEX CONCURRENTLY cannot run inside a transaction", refused.Stderr);
        Assert.Contains("MixedTransactionMode", refused.Stderr);
        Assert.Equal(false, await pg.ScalarAsync(db, "SELECT to_regclass('t') IS NOT NULL"));
        var lint = await CliProcess.RunAsync(["lint", "sql"], workingDirectory: project.Path);
        Assert.Equal(1, lint.ExitCode);
        Assert.Contains("transaction-mode", lint.Stdout);
        Assert.DoesNotContain("transaction-mode", (await CliProcess.RunAsync(["lint", "sql", "--mixed"], workingDirectory: project.Path)).Stdout);

        var whatIf = await CliProcess.RunAsync(["migrate", "--mixed", "--what-if"], workingDirectory: project.Path);
        Assert.True(whatIf.ExitCode == 0, whatIf.ToString());
        var mixed = await CliProcess.RunAsync(["migrate"], new Dictionary<string, string?> { ["FLYWAY_MIXED"] = "true" }, project.Path);
        Assert.True(mixed.ExitCode == 0, mixed.ToString());
        Assert.Contains("(no transaction)", mixed.Stdout);
        Assert.Equal(true, await pg.ScalarAsync(db, "SELECT to_regclass('t_a') IS NOT NULL"));
    }

    [Fact]
    public async Task In_a_dbmate_project_it_runs_as_dbmate_does_from_the_env_file_and_db_migrations()
    {
        // What `dbmate up` reads in a project: ./.env (a password in its URL) and ./db/migrations; no flag, no variable.
        using var project = new TempDir();
        project.Write("db/migrations/20240101000000_users.sql", "-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n");
        project.Write(".env", $"# the app's settings\nexport DATABASE_URL=\"{pg.Server.Url(_live)}\"\nDBMATE_MIGRATIONS_TABLE=dbmate_history\n");

        var migrate = await CliProcess.RunAsync(["migrate", "--json"], workingDirectory: project.Path);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal("20240101000000", await pg.ScalarAsync(_live, "SELECT version FROM dbmate_history"));
        Assert.Equal(true, await pg.ScalarAsync(_live, "SELECT to_regclass('users') IS NOT NULL"));

        // dbmate's 14-digit versions fit the table: the description starts under its heading.
        var table = (await CliProcess.RunAsync(["info"], workingDirectory: project.Path)).Stdout.Split('\n');
        Assert.Equal(table[0].IndexOf("Description"), table[1].IndexOf("users"));
        Assert.StartsWith("20240101000000 ", table[1]);

        // The rehearsal finds the folder too, never the .env's database, and its table fits the versions as well.
        var rehearsal = await CliProcess.RunAsync(["rehearse"], workingDirectory: project.Path);
        Assert.True(rehearsal.ExitCode == 0, rehearsal.ToString());
        var steps = rehearsal.Stdout.Split('\n').SkipWhile(l => !l.StartsWith("version")).ToList();
        Assert.Equal(steps[0].IndexOf("description"), steps[1].IndexOf("users"));

        // --env-file names another file; the environment beats both.
        project.Write("other.env", $"DATABASE_URL={pg.Server.Url(_dev)}\n");
        var other = await CliProcess.RunAsync(["info", "--env-file", "other.env", "--json"], workingDirectory: project.Path);
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Contains("\"state\": \"Pending\"", other.Stdout);
        var environment = await CliProcess.RunAsync(["info", "--json"], new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_dev) }, project.Path);
        Assert.Contains("\"state\": \"Pending\"", environment.Stdout);

        var created = await CliProcess.RunAsync(["new", "add email"], workingDirectory: project.Path);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Single(Directory.GetFiles(Path.Combine(project.Path, "db", "migrations"), "*_add_email.sql"));

        // The runbook's way: dbmate --env-file .env.dbmate -e STAGING_DATABASE_URL up.
        project.Write(".env.dbmate", $"DEV_DATABASE_URL={pg.Server.Url(_dev)}\nSTAGING_DATABASE_URL={pg.Server.Url(_live)}\n");
        var staging = await CliProcess.RunAsync(["info", "--env-file", ".env.dbmate", "--url-variable", "STAGING_DATABASE_URL", "--table", "dbmate_history", "--json"], workingDirectory: project.Path);
        Assert.True(staging.ExitCode == 0, staging.ToString());
        Assert.Contains("\"state\": \"Success\"", staging.Stdout); // the live database, where the first migrate applied it
        Assert.Equal(2, (await CliProcess.RunAsync(["info", "--url-variable", "STAGING_DATABASE_URL", "--url", pg.Server.Url(_dev)], workingDirectory: project.Path)).ExitCode);

        // A .env it cannot read: the one found here may be another tool's, so it is passed over with a warning naming
        // file and line; one named with --env-file is an error.
        project.Write(".env", $"DATABASE_URL={pg.Server.Url(_dev)}\nthis line is not a setting\n");
        var broken = await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains($"WARNING: {Path.Combine(project.Path, ".env")}:2:", broken.Stderr);
        Assert.Contains("NoConnection", broken.Stderr);
        var named = await CliProcess.RunAsync(["migrate", "--env-file", ".env"], workingDirectory: project.Path);
        Assert.Equal(2, named.ExitCode);
        Assert.Contains($"InvalidConfigFile", named.Stderr);
        Assert.Equal(false, await pg.ScalarAsync(_dev, "SELECT to_regclass('dbmate_history') IS NOT NULL"));
        AssertNoSecret(migrate, rehearsal, other, environment, staging, broken, named);
    }

    [Fact]
    public async Task In_a_dbmate_project_an_older_pending_version_is_applied_as_dbmate_does_and_strict_refuses_it()
    {
        using var project = new TempDir();
        var db = await pg.Server.CreateDatabaseAsync();
        project.Write(".env", $"DATABASE_URL={pg.Server.Url(db)}\n");
        project.Write("db/migrations/20240101000000_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
        project.Write("db/migrations/20240301000000_c.sql", "-- migrate:up\nCREATE TABLE c (id int);\n-- migrate:down\nDROP TABLE c;\n");
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path)).ExitCode);
        project.Write("db/migrations/20240201000000_b.sql", "-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n");

        var strict = await CliProcess.RunAsync(["migrate", "--strict"], workingDirectory: project.Path);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("20240201000000", strict.Stderr);
        var variable = await CliProcess.RunAsync(["migrate"], new Dictionary<string, string?> { ["DBMATE_STRICT"] = "true" }, project.Path);
        Assert.Equal(1, variable.ExitCode);
        Assert.Equal(2, (await CliProcess.RunAsync(["migrate", "--strict", "--out-of-order"], workingDirectory: project.Path)).ExitCode);
        Assert.Equal(false, await pg.ScalarAsync(db, "SELECT to_regclass('b') IS NOT NULL"));

        var applied = await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal(true, await pg.ScalarAsync(db, "SELECT to_regclass('b') IS NOT NULL"));
    }

    [Fact]
    public async Task In_a_dbmate_project_dump_writes_db_schema_sql_where_dbmate_would()
    {
        using var project = new TempDir();
        project.Write("db/migrations/20240101000000_users.sql", "-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n");
        project.Write(".env", $"DATABASE_URL={pg.Server.Url(_dev)}\nDBMATE_MIGRATIONS_TABLE=dbmate_history\n");
        Assert.Equal(0, (await CliProcess.RunAsync(["migrate"], workingDirectory: project.Path)).ExitCode);

        var dump = await CliProcess.RunAsync(["dump", "--json"], workingDirectory: project.Path);

        Assert.True(dump.ExitCode == 0, dump.ToString());
        var file = Path.Combine(project.Path, "db", "schema.sql");
        var text = File.ReadAllText(file);
        Assert.Contains("CREATE TABLE public.users", text);
        Assert.EndsWith("INSERT INTO public.dbmate_history (version) VALUES\n    ('20240101000000');\n", text);
        var written = JsonDocument.Parse(dump.Stdout).RootElement[0];
        Assert.Equal((file, 1, "20240101000000", true), (written.GetProperty("path").GetString(), written.GetProperty("versions").GetInt32(),
            written.GetProperty("migrationVersion").GetString(), written.GetProperty("changed").GetBoolean()));

        // Once more: nothing to change; DBMATE_SCHEMA_FILE (here from the .env) moves it, as in dbmate.
        var again = await CliProcess.RunAsync(["dump"], workingDirectory: project.Path);
        Assert.StartsWith("unchanged: ", again.Stdout);
        project.Write(".env", $"DATABASE_URL={pg.Server.Url(_dev)}\nDBMATE_MIGRATIONS_TABLE=dbmate_history\nDBMATE_SCHEMA_FILE=./schema/dev.sql\n");
        Assert.Equal(0, (await CliProcess.RunAsync(["dump"], workingDirectory: project.Path)).ExitCode);
        Assert.Equal(text, File.ReadAllText(Path.Combine(project.Path, "schema", "dev.sql")));

        // pg_dump fails: exit 3, the committed file as it was.
        var failed = await CliProcess.RunAsync(["dump", "--out", "db/schema.sql", "--schema", "no_such_schema"], workingDirectory: project.Path);
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("[SchemaDumpFailed]", failed.Stderr);
        Assert.Equal(text, File.ReadAllText(file));
        AssertNoSecret(dump, again, failed);
    }

    private void AssertNoSecret(params CliProcess.Result[] results)
    {
        foreach (var r in results)
        {
            Assert.DoesNotContain(pg.Server.Password, r.Stdout);
            Assert.DoesNotContain(pg.Server.Password, r.Stderr);
        }
    }
}
