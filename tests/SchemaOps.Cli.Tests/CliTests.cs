using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SchemaOps.Cli.Tests;

[Collection(PostgresCollection.Name)]
public class CliTests(PostgresFixture pg) : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private string _db = "";

    public async Task InitializeAsync() => _db = await pg.Server.CreateDatabaseAsync();
    public Task DisposeAsync() => Task.CompletedTask;
    public void Dispose() => _dir.Dispose();

    /// <summary>Runs a command against this test's database; the URL travels in DATABASE_URL, as it should.</summary>
    private Task<CliProcess.Result> Run(params string[] args) =>
        CliProcess.RunAsync(args, new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_db) });

    [Fact]
    public async Task Migrate_info_validate_round_trip_with_json_and_exit_codes()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        _dir.Write("V2__orders.sql", "CREATE TABLE orders (id int);");

        var migrate = await Run("migrate", "--path", _dir.Path, "--json");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        var applied = JsonDocument.Parse(migrate.Stdout).RootElement;
        Assert.Equal(2, applied.GetArrayLength());
        Assert.Equal("Applied", applied[0].GetProperty("outcome").GetString());
        Assert.Equal("1", applied[0].GetProperty("version").GetString());

        var info = await Run("info", "--path", _dir.Path, "--json");
        var states = JsonDocument.Parse(info.Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("state").GetString());
        Assert.Equal(["Success", "Success"], states);

        Assert.Equal(0, (await Run("validate", "--path", _dir.Path)).ExitCode);

        _dir.Write("V1__users.sql", "CREATE TABLE users (id bigint);");
        var validate = await Run("validate", "--path", _dir.Path, "--json");
        Assert.Equal(1, validate.ExitCode);
        var problem = JsonDocument.Parse(validate.Stdout).RootElement.EnumerateArray().Single(e => !e.GetProperty("passed").GetBoolean());
        Assert.Equal("ChecksumMismatch", problem.GetProperty("kind").GetString());
        // As text: the problem names the migration once ("PROBLEM  V1 users: V1 users: checksum mismatch" before).
        var text = await Run("validate", "--path", _dir.Path);
        Assert.Contains("PROBLEM  V1 users: checksum mismatch (applied to database: ", text.Stdout);

        var refused = await Run("migrate", "--path", _dir.Path, "--json");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("ValidationFailed", JsonDocument.Parse(refused.Stderr).RootElement.GetProperty("error").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_failed_migration_exits_3_naming_file_and_line()
    {
        _dir.Write("V1__bad.sql", "CREATE TABLE t (id int);\nSELECT nope FROM t;\n");
        var r = await Run("migrate", "--path", _dir.Path);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("V1__bad.sql:2:", r.Stderr);
        Assert.Contains("[MigrationFailed]", r.Stderr);
    }

    [Fact]
    public async Task Undo_runs_the_U_scripts_and_refuses_a_conflicting_scope()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write("U1__a.sql", "DROP TABLE a;");
        _dir.Write("V2__b.sql", "CREATE TABLE b (id int);");
        _dir.Write("U2__b.sql", "DROP TABLE b;");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);

        Assert.Equal(2, (await Run("undo", "--path", _dir.Path, "--count", "1", "--all")).ExitCode);
        var undo = await Run("undo", "--path", _dir.Path, "--all", "--json");

        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.Equal(["2", "1"], JsonDocument.Parse(undo.Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("version").GetString()));
        Assert.Equal(2L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history WHERE type = 'UNDO_SQL'"));
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('a')::text"));
    }

    [Fact]
    public async Task Repair_removes_the_failed_row_and_reports_it_as_json()
    {
        _dir.Write("V1__t.sql", "CREATE TABLE t (a int);");
        _dir.Write("V2__idx.sql", "CREATE INDEX CONCURRENTLY t_x ON t (nope);");
        Assert.Equal(3, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        Assert.Equal(1, (await Run("migrate", "--path", _dir.Path)).ExitCode); // the failed row blocks

        var repair = await Run("repair", "--path", _dir.Path, "--json");

        Assert.True(repair.ExitCode == 0, repair.ToString());
        var change = JsonDocument.Parse(repair.Stdout).RootElement[0];
        Assert.Equal(("RemovedFailedRow", "2"), (change.GetProperty("action").GetString(), change.GetProperty("version").GetString()));
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history"));
    }

    [Theory]
    [InlineData(new[] { "migrate", "--bogus" }, "unknown option --bogus")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "migrate", "--path" }, "--path needs a value")]
    [InlineData(new[] { "migrate", "--lock-wait", "soon" }, "is not a duration")]
    [InlineData(new[] { "checksum" }, "at least one FILE")]
    [InlineData(new[] { "migrate", "--what-if", "--dry-run", "x.sql" }, "--what-if and --dry-run exclude each other")]
    [InlineData(new[] { "migrate", "--lock-retries", "many" }, "--lock-retries 'many' is not a whole number of at least 0")]
    [InlineData(new[] { "backup", "--out", "x.dump", "--format", "1" }, "--format '1' is not custom or directory")] // Enum.TryParse took a number
    [InlineData(new[] { "snapshot", "--row-counts", "Exact,None" }, "--row-counts 'Exact,None' is not exact, estimated or none")]
    [InlineData(new[] { "info", "--layout", "liquibase" }, "layout 'liquibase' is not one of auto, flyway, dbmate, golang-migrate")]
    public async Task Usage_errors_exit_2_with_a_clear_message(string[] args, string message)
    {
        var r = await CliProcess.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    [Fact]
    public async Task Rules_decided_in_the_engine_read_the_same_in_the_CLI()
    {
        _dir.Write("V1__t.sql", "CREATE TABLE t (id int);");
        var fleetOfOne = await Run("migrate", "--path", _dir.Path, "--throttle-limit", "2", "--json");
        Assert.True(fleetOfOne.ExitCode == 0, fleetOfOne.ToString());
        var result = Assert.Single(JsonDocument.Parse(fleetOfOne.Stdout).RootElement.EnumerateArray().ToList());
        Assert.True(result.GetProperty("succeeded").GetBoolean()); // a FleetResult, as -ThrottleLimit gives in PowerShell

        var dryRun = await Run("migrate", "--path", _dir.Path, "--throttle-limit", "2", "--dry-run", Path.Combine(_dir.Path, "plan.sql"));
        Assert.Equal(2, dryRun.ExitCode);
        Assert.Contains("[FleetDryRun]", dryRun.Stderr);

        var restore = await Run("restore", "nothere.dump", "--create", "--clean");
        Assert.Equal(2, restore.ExitCode);
        Assert.Contains("[RestoreCreateAndClean]", restore.Stderr);

        var inline = await CliProcess.RunAsync(["info", "--url", "postgres://app:Sup3rSecret@127.0.0.1:1/none", "--path", _dir.Path]);
        Assert.Equal(4, inline.ExitCode);
        Assert.Contains("WARNING: the connection text holds a password", inline.Stderr);
        Assert.DoesNotContain("Sup3rSecret", inline.Stderr + inline.Stdout);
        Assert.Equal("", inline.Stdout); // no table heading over nothing: `info > status.txt` holds nothing when it failed
    }

    [Fact]
    public async Task No_database_given_is_a_usage_error()
    {
        var r = await CliProcess.RunAsync(["info", "--path", _dir.Path]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("DATABASE_URL", r.Stderr);
    }

    [Fact]
    public async Task Bad_file_names_exit_2_and_touch_nothing()
    {
        _dir.Write("V1__ok.sql", "CREATE TABLE ok (id int);");
        _dir.Write("V1.x__broken.sql", "SELECT 1;");
        var r = await Run("migrate", "--path", _dir.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("V1.x__broken.sql", r.Stderr);
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('flyway_schema_history')::text"));
    }

    [Fact]
    public async Task A_targets_file_migrates_every_database_and_exits_3_when_one_failed()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        var second = await pg.Server.CreateDatabaseAsync();
        var broken = await pg.Server.CreateDatabaseAsync();
        await pg.ScalarAsync(broken, "CREATE TABLE users (x int)");
        var targets = Path.Combine(_dir.Path, "..", Path.GetFileName(_dir.Path) + "-targets.txt");
        File.WriteAllLines(targets, ["# tenants", pg.Server.Url(_db), pg.Server.Url(second), "", pg.Server.Url(broken)]);

        var r = await CliProcess.RunAsync(["migrate", "--path", _dir.Path, "--targets", targets, "--baseline-on-migrate", "--baseline-version", "0", "--json"]);
        File.Delete(targets);

        Assert.Equal(3, r.ExitCode);
        var results = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal([true, true, false], results.Select(e => e.GetProperty("succeeded").GetBoolean()));
        Assert.Equal("MigrationFailed", results[2].GetProperty("errorId").GetString());
        Assert.DoesNotContain(pg.Server.Password, r.Stdout + r.Stderr);
        Assert.Equal("users", await pg.ScalarAsync(second, "SELECT to_regclass('users')::text"));
    }

    [Fact]
    public async Task Dry_run_writes_the_sql_and_changes_nothing()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        var plan = Path.Combine(_dir.Path, "plan.sql");

        var r = await Run("migrate", "--path", _dir.Path, "--dry-run", plan, "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("Planned", JsonDocument.Parse(r.Stdout).RootElement[0].GetProperty("outcome").GetString());
        Assert.Contains("CREATE TABLE users (id int);", File.ReadAllText(plan));
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('flyway_schema_history')::text"));
    }

    [Fact]
    public async Task A_dbmate_folder_migrates_into_dbmates_table_and_undoes_with_its_down_sections()
    {
        _dir.Write("20240101000000_users.sql", "-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n");
        _dir.Write("20240102000000_orders.sql", "-- migrate:up\nCREATE TABLE orders (id int);\n-- migrate:down\nDROP TABLE orders;\n");

        var migrate = await Run("migrate", "--path", _dir.Path, "--json");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal("20240101000000,20240102000000", await pg.ScalarAsync(_db, "SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations"));

        var undo = await Run("undo", "--path", _dir.Path, "--count", "1", "--json");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.Equal("20240102000000", JsonDocument.Parse(undo.Stdout).RootElement[0].GetProperty("version").GetString());

        var info = await Run("info", "--path", _dir.Path, "--layout", "dbmate", "--json");
        Assert.Equal(["Success", "Pending"], JsonDocument.Parse(info.Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task PGSSLMODE_is_read_as_libpq_reads_it_where_the_url_names_no_sslmode()
    {
        // A job for a managed server exports PGSSLMODE=require: a server (here, the test's, with no TLS) that answers
        // without encryption is refused, as psql and pg_dump refuse it. Before, the CLI connected unencrypted.
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        var url = $"postgres://postgres:{Uri.EscapeDataString(pg.Server.Password)}@127.0.0.1:{pg.Server.Port}/{_db}";

        var refused = await CliProcess.RunAsync(["migrate", "--path", _dir.Path], new Dictionary<string, string?> { ["DATABASE_URL"] = url, ["PGSSLMODE"] = "require" });
        var named = await CliProcess.RunAsync(["info", "--path", _dir.Path], new Dictionary<string, string?> { ["DATABASE_URL"] = url + "?sslmode=disable", ["PGSSLMODE"] = "require" });

        Assert.True(refused.ExitCode == 4, refused.ToString());
        Assert.Contains("does not offer TLS", refused.Stderr);
        Assert.Equal(0L, await pg.ScalarAsync(_db, "SELECT count(*) FROM pg_tables WHERE tablename = 'users'"));
        Assert.True(named.ExitCode == 0, named.ToString()); // the URL's own sslmode wins
    }

    [Fact]
    public async Task An_empty_PGPASSWORD_or_PGPASSFILE_counts_as_unset_as_libpq_takes_them()
    {
        // What a CI job exporting a secret that is not set gives: the variable, empty. libpq then reads ~/.pgpass.
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        using var home = new TempDir();
        var pgpass = home.Write(".pgpass", $"*:*:*:postgres:{pg.Server.Password}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite); // libpq ignores a readable one
        var url = $"postgres://postgres@127.0.0.1:{pg.Server.Port}/{_db}?sslmode=disable"; // no password in it
        foreach (var empty in new[] { "PGPASSWORD", "PGPASSFILE" })
        {
            var r = await CliProcess.RunAsync(["info", "--path", _dir.Path, "--json"],
                new Dictionary<string, string?> { ["DATABASE_URL"] = url, ["HOME"] = home.Path, [empty] = "" });
            Assert.True(r.ExitCode == 0, $"{empty}='': {r}");
            var backup = await CliProcess.RunAsync(["backup", "--out", Path.Combine(home.Path, $"{empty}.dump"), "--row-counts", "none"],
                new Dictionary<string, string?> { ["DATABASE_URL"] = url, ["HOME"] = home.Path, [empty] = "" });
            Assert.True(backup.ExitCode == 0, $"{empty}='': {backup}");
        }
    }

    [Fact]
    public async Task A_flyway_url_with_pgjdbc_parameters_works_unchanged()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        // flyway.url as teams keep it: pgjdbc's own tuning, the primary of an HA pair's hosts (each with its own port;
        // the first is this server, the second nothing), and an application name.
        var env = new Dictionary<string, string?>
        {
            ["FLYWAY_URL"] = $"jdbc:postgresql://127.0.0.1:{pg.Server.Port},localhost:1/{_db}?prepareThreshold=0&socketTimeout=60&targetServerType=primary&ApplicationName=flyway-deploy",
            ["FLYWAY_USER"] = "postgres", ["FLYWAY_PASSWORD"] = pg.Server.Password,
        };
        var migrate = await CliProcess.RunAsync(["migrate", "--path", _dir.Path], env);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history WHERE success"));
        // pg_dump is sent to the same host the same way (libpq's PGTARGETSESSIONATTRS).
        var backup = await CliProcess.RunAsync(["backup", "--out", Path.Combine(_dir.Path, "shop.dump")], env);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.DoesNotContain(pg.Server.Password, migrate.Stdout + migrate.Stderr + backup.Stdout + backup.Stderr);
    }

    [Fact]
    public async Task A_golang_migrate_DATABASE_URL_works_unchanged_its_table_and_statement_timeout_included()
    {
        _dir.Write("1_users.up.sql", "CREATE TABLE users (id int);");
        _dir.Write("1_users.down.sql", "DROP TABLE users;");
        _dir.Write("2_backfill.up.sql", "SELECT pg_sleep(3);");
        _dir.Write("2_backfill.down.sql", "");
        // What `migrate -database "$DATABASE_URL"` runs with in the team's CI: its own table, a 1 s statement limit.
        var url = pg.Server.Url(_db) + "&x-migrations-table=shop_migrations&x-statement-timeout=1000&x-multi-statement=true";
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = url };

        var first = await CliProcess.RunAsync(["migrate", "--path", _dir.Path, "--target", "1"], env);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT version FROM shop_migrations"));
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('schema_migrations')::text"));

        var slow = await CliProcess.RunAsync(["migrate", "--path", _dir.Path], env);
        Assert.Equal(3, slow.ExitCode);
        Assert.Contains("StatementTimeout", slow.Stderr);
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT version FROM shop_migrations"));
        Assert.DoesNotContain(pg.Server.Password, slow.Stderr + slow.Stdout);
    }

    [Fact]
    public async Task A_folder_in_another_layout_than_the_database_exits_with_what_to_do()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        using var golang = new TempDir();
        golang.Write("2_orders.up.sql", "CREATE TABLE orders (id int);");

        var r = await Run("migrate", "--path", golang.Path);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("[HistoryLayoutMismatch]", r.Stderr);
        Assert.Contains("--layout golang-migrate", r.Stderr);
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('orders')::text"));
    }

    [Fact]
    public async Task New_creates_the_next_files_and_never_overwrites()
    {
        _dir.Write("V3__c.sql", "SELECT 1;");
        var created = await CliProcess.RunAsync(["new", "add", "users", "--path", _dir.Path, "--json"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(["V4__add_users.sql", "U4__add_users.sql"],
            JsonDocument.Parse(created.Stdout).RootElement.EnumerateArray().Select(e => Path.GetFileName(e.GetProperty("path").GetString())));
        File.Delete(Path.Combine(_dir.Path, "V4__add_users.sql"));
        var again = await CliProcess.RunAsync(["new", "add users", "--path", _dir.Path]);
        Assert.Equal(3, again.ExitCode);
        Assert.Contains("U4__add_users.sql already exists", again.Stderr);
    }

    [Fact]
    public async Task Clean_is_refused_unless_allowed_and_in_production()
    {
        _dir.Write("V1__t.sql", "CREATE TABLE t (id int);");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);

        var refused = await Run("clean");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("[CleanDisabled]", refused.Stderr);
        var production = await CliProcess.RunAsync(["clean", "--allow-clean"],
            new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_db), ["SCHEMAOPS_ENVIRONMENT"] = "production" });
        Assert.Contains("[CleanRefusedInProduction]", production.Stderr);
        Assert.Equal("t", await pg.ScalarAsync(_db, "SELECT to_regclass('t')::text"));

        var cleaned = await Run("clean", "--allow-clean", "--json");
        Assert.True(cleaned.ExitCode == 0, cleaned.ToString());
        Assert.Equal("public", JsonDocument.Parse(cleaned.Stdout).RootElement[0].GetProperty("schema").GetString());
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('t')::text"));
    }

    [Fact]
    public async Task Checksum_prints_flyways_value()
    {
        var file = _dir.Write("V1__x.sql", "SELECT 1;\r\n");
        var r = await CliProcess.RunAsync(["checksum", file, "--json"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(78787420, JsonDocument.Parse(r.Stdout).RootElement[0].GetProperty("checksum").GetInt32());
    }

    [Fact]
    public async Task The_password_never_appears_in_output_even_on_failure()
    {
        _dir.Write("V1__bad.sql", "SELECT nope;");
        var password = pg.Server.Password;
        var failing = await Run("migrate", "--path", _dir.Path, "--verbose");
        Assert.Equal(3, failing.ExitCode);
        Assert.DoesNotContain(password, failing.Stdout + failing.Stderr);

        var wrong = await CliProcess.RunAsync(["info", "--path", _dir.Path, "--url", $"postgres://postgres:wrong-{password}@127.0.0.1:{pg.Server.Port}/{_db}"]);
        Assert.Equal(4, wrong.ExitCode);
        Assert.Contains("WARNING: the connection text holds a password", wrong.Stderr);
        Assert.DoesNotContain(password, wrong.Stdout + wrong.Stderr);
    }

    [Fact]
    public async Task PGPASSWORD_keeps_the_password_off_the_command_line()
    {
        _dir.Write("V1__a.sql", "SELECT 1;");
        var r = await CliProcess.RunAsync(["migrate", "--path", _dir.Path, "--url", $"postgres://postgres@127.0.0.1:{pg.Server.Port}/{_db}"],
            new Dictionary<string, string?> { ["PGPASSWORD"] = pg.Server.Password });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("WARNING", r.Stderr);
    }

    [Fact]
    public async Task What_if_lists_the_plan_and_changes_nothing()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);\nCREATE INDEX a_new ON a (id);"); // a table it creates itself: nobody waits on it
        _dir.Write("V2__b.sql", "CREATE INDEX a_id ON a (id);\nALTER TABLE a ADD COLUMN token uuid DEFAULT gen_random_uuid();");
        var r = await Run("migrate", "--path", _dir.Path, "--what-if");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("What if: Apply migration on V1 a", r.Stdout); // a new table: no lock on an existing one
        // The lock column of Get-MigrationImpact, from the statements alone: the strongest lock and the heaviest work.
        Assert.Contains("What if: Apply migration; locks ACCESS EXCLUSIVE on a, table rewrite on V2 b", r.Stdout);
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('flyway_schema_history')::text"));
    }

    [Fact]
    public async Task Eight_processes_at_once_apply_each_migration_exactly_once()
    {
        for (var i = 1; i <= 10; i++) _dir.Write($"V{i}__t{i}.sql", $"CREATE TABLE t{i} (id int); SELECT pg_sleep(0.05);");

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Run("migrate", "--path", _dir.Path, "--json")));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(10, runs.Sum(r => JsonDocument.Parse(r.Stdout).RootElement.GetArrayLength()));
        Assert.Equal(10L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history"));
        Assert.Equal(10L, await pg.ScalarAsync(_db, "SELECT count(DISTINCT version) FROM flyway_schema_history"));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Runs migrate, sends SIGINT (as Ctrl+C does) once <paramref name="activeQuery"/> runs, and waits (20 s at most) for it to end.</summary>
    private async Task<(int ExitCode, string Stderr)> MigrateInterruptedAsync(string activeQuery, params string[] extra)
    {
        using var runner = CliProcess.Start(["migrate", "--path", _dir.Path, .. extra], new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_db) });
        var stderr = runner.StandardError.ReadToEndAsync();
        await WaitForActiveQueryAsync(activeQuery);
        Assert.Equal(0, kill(runner.Id, 2));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await runner.WaitForExitAsync(timeout.Token); // well before any 30 s sleep would end
        return (runner.ExitCode, await stderr);
    }

    [Fact]
    public async Task Ctrl_C_mid_migration_rolls_back_and_exits_130()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write("V2__slow.sql", "CREATE TABLE b (id int);\nSELECT pg_sleep(30);\n");
        var (exitCode, stderr) = await MigrateInterruptedAsync("pg_sleep(30)");

        Assert.Equal(130, exitCode);
        Assert.Contains("V2__slow.sql: canceled; its transaction was rolled back", stderr);
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history"));
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('b')::text"));
    }

    [Fact]
    public async Task Ctrl_C_in_a_migration_outside_a_transaction_says_what_stayed_applied()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write("V2__index.sql", "CREATE INDEX CONCURRENTLY a_id ON a (id);\nSELECT pg_sleep(30);\n");
        // --mixed: the index and the sleep after it run outside a transaction on purpose (Flyway's mixed=true).
        var (exitCode, said) = await MigrateInterruptedAsync("pg_sleep(30)", "--mixed");

        Assert.Equal(130, exitCode);
        Assert.Contains("MigrationInterrupted", said);
        Assert.Contains("stay applied", said);
        Assert.DoesNotContain("rolled back", said);
        Assert.Equal(false, await pg.ScalarAsync(_db, "SELECT success FROM flyway_schema_history WHERE version = '2'"));
        Assert.Equal("a_id", await pg.ScalarAsync(_db, "SELECT to_regclass('a_id')::text")); // its first statement stays
    }

    [Fact]
    public async Task Ctrl_C_during_a_concurrent_index_build_names_the_invalid_index_it_left()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write("V2__index.sql", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS a_id ON a (id);\n");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path, "--target", "1")).ExitCode);
        // An application's open write: the build makes its (INVALID) index, then waits for the writer to finish.
        await using var writer = new Npgsql.NpgsqlConnection(pg.Server.ConnectionString(_db) + ";Pooling=false");
        await writer.OpenAsync();
        await using (var insert = new Npgsql.NpgsqlCommand("BEGIN; INSERT INTO a VALUES (1)", writer)) await insert.ExecuteNonQueryAsync();
        var (exitCode, said) = await MigrateInterruptedAsync("CREATE UNIQUE INDEX CONCURRENTLY");

        Assert.Equal(130, exitCode);
        Assert.Contains("MigrationInterrupted", said);
        Assert.Contains("It left the INVALID index public.a_id behind", said);
        Assert.Contains("DROP INDEX CONCURRENTLY public.a_id", said);
        Assert.Equal(false, await pg.ScalarAsync(_db, "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('a_id')"));

        // Repaired without dropping it, the next run stops at it rather than recording V2 over an index that enforces nothing.
        Assert.Equal(0, (await Run("repair", "--path", _dir.Path)).ExitCode);
        var rerun = await Run("migrate", "--path", _dir.Path);
        Assert.Equal(3, rerun.ExitCode);
        Assert.Contains("InvalidIndexInTheWay", rerun.Stderr);
        Assert.Equal(false, await pg.ScalarAsync(_db, "SELECT success FROM flyway_schema_history WHERE version = '2'"));
    }

    [Fact]
    public async Task A_statement_longer_than_30_seconds_runs_to_its_end()
    {
        // Npgsql's default command timeout is 30 s: a backfill or an index on a big table must not die at it.
        _dir.Write("V1__backfill.sql", "CREATE TABLE a (id int);\nSELECT pg_sleep(31);\n");
        var run = await Run("migrate", "--path", _dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(true, await pg.ScalarAsync(_db, "SELECT success FROM flyway_schema_history WHERE version = '1'"));
    }

    [Fact]
    public async Task A_statement_timeout_fails_the_migration_with_exit_3_not_as_a_cancel()
    {
        _dir.Write("V1__slow.sql", "CREATE TABLE a (id int);\nSELECT pg_sleep(5);\n");
        var run = await Run("migrate", "--path", _dir.Path, "--statement-timeout", "1s", "--json");
        Assert.Equal(3, run.ExitCode);
        using var error = JsonDocument.Parse(run.Stderr[run.Stderr.IndexOf('{')..]);
        Assert.Equal("MigrationStatementTimeout", error.RootElement.GetProperty("error").GetProperty("id").GetString());
        Assert.Contains("V1__slow.sql:2", error.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('a')::text")); // rolled back whole
    }

    private async Task WaitForActiveQueryAsync(string fragment)
    {
        var deadline = Stopwatch.StartNew();
        while (!Equals(await pg.ScalarAsync(_db, $"SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%{fragment}%' AND state = 'active' AND pid <> pg_backend_pid()"), 1L))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{fragment} never started");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Killing_the_runner_mid_migration_leaves_the_database_as_before_and_the_next_run_completes()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write("V2__slow.sql", "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT pg_sleep(3);\nCREATE TABLE b (id int);\n");
        using var runner = CliProcess.Start(["migrate", "--path", _dir.Path], new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_db) });
        await WaitForActiveQueryAsync("pg_sleep(3)");

        runner.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
        await runner.WaitForExitAsync();

        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history"));
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('half_done')::text"));
        var next = await Run("migrate", "--path", _dir.Path, "--json");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal("2", JsonDocument.Parse(next.Stdout).RootElement[0].GetProperty("version").GetString());
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM half_done"));
    }

    [Fact]
    public async Task Snapshot_saves_json_and_compare_exits_1_listing_each_difference()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        var before = Path.Combine(_dir.Path, "before.json");
        var snap = await Run("snapshot", "--out", before);
        Assert.True(snap.ExitCode == 0, snap.ToString());
        Assert.Contains("migration version 1", snap.Stdout);

        _dir.Write("V2__email.sql", "ALTER TABLE users ADD COLUMN email text;");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        var after = Path.Combine(_dir.Path, "after.json");
        Assert.Equal(0, (await Run("snapshot", "--out", after, "--row-counts", "none", "--json")).ExitCode);

        var same = await Run("compare", before, before);
        Assert.Equal((0, "no differences"), (same.ExitCode, same.Stdout.Trim()));
        var compare = await Run("compare", before, after, "--json");
        Assert.Equal(1, compare.ExitCode);
        var differences = JsonDocument.Parse(compare.Stdout).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("name").GetString(), e.GetProperty("change").GetString())).ToList();
        Assert.Equal([("Column", "users.email", "Added"), ("Migration", "2", "Added")], differences);

        var missing = await Run("compare", before, Path.Combine(_dir.Path, "nope.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.json", missing.Stderr);
    }

    [Fact]
    public async Task Locks_reports_nothing_waiting_and_polls_with_a_count()
    {
        var once = await Run("locks");
        Assert.True(once.ExitCode == 0, once.ToString());
        Assert.Contains("no session waits for a lock", once.Stdout);
        var watched = await Run("locks", "--watch", "--interval", "50ms", "--count", "2", "--json");
        Assert.True(watched.ExitCode == 0, watched.ToString());
        Assert.Equal(0, JsonDocument.Parse(watched.Stdout).RootElement.GetArrayLength());
        Assert.Equal(2, (await Run("locks", "--count", "0")).ExitCode);
    }

    [Fact]
    public async Task Backup_then_test_backup_and_a_second_backup_to_the_same_file_is_refused()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int); INSERT INTO users VALUES (1), (2);");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        var file = Path.Combine(_dir.Path, "shop.dump");

        var backup = await Run("backup", "--out", file, "--json");
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var json = JsonDocument.Parse(backup.Stdout).RootElement[0];
        Assert.Equal(64, json.GetProperty("sha256").GetString()!.Length);
        Assert.Equal("1", json.GetProperty("migrationVersion").GetString());
        Assert.DoesNotContain(pg.Server.Password, backup.Stdout + backup.Stderr);

        var test = await Run("test-backup", file);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("restores cleanly", test.Stdout);

        var again = await Run("backup", "--out", file);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("[BackupExists]", again.Stderr);

        // --ephemeral: a throwaway server from --pg-bin's binaries (not ignored: a folder without them is named).
        var onThrowaway = await Run("test-backup", file, "--ephemeral");
        Assert.True(onThrowaway.ExitCode == 0, onThrowaway.ToString());
        var noBinaries = await CliProcess.RunAsync(["test-backup", file, "--ephemeral", "--pg-bin", _dir.Path]);
        Assert.Equal(3, noBinaries.ExitCode);
        Assert.Contains($"[PostgresBinariesNotFound]: '{_dir.Path}' does not hold initdb and postgres", noBinaries.Stderr);

        // The password in PGPASSWORD only (the usual way): pg_dump gets it too, through the passfile.
        var passwordless = pg.Server.Url(_db).Replace(":" + Uri.EscapeDataString(pg.Server.Password) + "@", "@");
        var fromEnvironment = await CliProcess.RunAsync(["backup", "--out", Path.Combine(_dir.Path, "env.dump")],
            new Dictionary<string, string?> { ["DATABASE_URL"] = passwordless, ["PGPASSWORD"] = pg.Server.Password });
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // shell-script shims
    public async Task PostgreSQLs_tools_never_get_the_password_or_the_callers_connection_variables_even_to_print_their_version()
    {
        // Shims that write down their own environment, then run the real tool.
        var real = Engine.Ephemeral.PostgresInstallation.Find().BinDirectory;
        var bin = Directory.CreateDirectory(Path.Combine(_dir.Path, "bin")).FullName;
        foreach (var tool in new[] { "pg_dump", "pg_restore", "psql" })
        {
            var shim = Path.Combine(bin, tool);
            File.WriteAllText(shim, $"#!/bin/sh\nenv > \"{bin}/env-{tool}-$$\"\nexec \"{real}/{tool}\" \"$@\"\n");
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_db), ["PGPASSWORD"] = "unused-secret", ["PGOPTIONS"] = "-c work_mem=1MB" };
        var file = Path.Combine(_dir.Path, "a.dump");
        var backup = await CliProcess.RunAsync(["backup", "--out", file, "--pg-bin", bin], env);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var test = await CliProcess.RunAsync(["test-backup", file, "--pg-bin", bin], env);
        Assert.True(test.ExitCode == 0, test.ToString());

        var seen = Directory.GetFiles(bin, "env-*");
        Assert.Contains(seen, f => Path.GetFileName(f).StartsWith("env-pg_dump-")); // --version and the dump
        Assert.Contains(seen, f => Path.GetFileName(f).StartsWith("env-pg_restore-"));
        Assert.All(seen, f =>
        {
            var text = File.ReadAllText(f);
            Assert.DoesNotContain(pg.Server.Password, text);
            Assert.DoesNotContain("unused-secret", text);
            Assert.DoesNotContain("DATABASE_URL=", text);
            Assert.DoesNotContain("work_mem", text);
        });
    }

    [Fact]
    public async Task Impact_lists_each_pending_statement_with_its_lock_and_table_and_changes_nothing()
    {
        _dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        _dir.Write("V2__index.sql", "CREATE INDEX orders_total ON orders (total);\nALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();");
        var impact = await Run("impact", "--path", _dir.Path, "--json");
        Assert.True(impact.ExitCode == 0, impact.ToString());
        var rows = JsonDocument.Parse(impact.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal([("SHARE", "index build", "public.orders"), ("ACCESS EXCLUSIVE", "table rewrite", "public.orders")],
            rows.Select(r => (r.GetProperty("lockMode").GetString(), r.GetProperty("work").GetString(), r.GetProperty("tables")[0].GetString())));
        Assert.Contains("require-concurrent-index-creation", rows[0].GetProperty("findings").EnumerateArray().Select(f => f.GetString()));
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('orders_total')::text"));

        // The text a reader in bash gets says the same: it showed the lock alone, never the size, who is in the way or the lint.
        await using var reader = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(pg.Server.ConnectionString(_db)) { ApplicationName = "report-job", Pooling = false }.ConnectionString);
        await reader.OpenAsync();
        await new Npgsql.NpgsqlCommand("BEGIN; SELECT count(*) FROM orders", reader).ExecuteNonQueryAsync();
        var text = await Run("impact", "--path", _dir.Path);
        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"V2__index\.sql:2: ACCESS EXCLUSIVE \(table rewrite\) public\.orders, [0-9.]+ MB", lines.Single(l => l.Contains("V2__index.sql:2:")));
        Assert.Contains(lines, l => l.StartsWith("           in the way: pid ") && l.Contains("report-job") && l.EndsWith("holds AccessShareLock on orders"));
        Assert.Contains(lines, l => l.StartsWith("           lint: require-concurrent-index-creation") && l.Contains("; instead: "));
    }

    [Fact]
    public async Task Drift_exits_0_on_a_database_its_migrations_built_and_1_naming_what_was_changed_by_hand()
    {
        _dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        var clean = await Run("drift", "--path", _dir.Path);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("no drift", clean.Stdout);

        await pg.ScalarAsync(_db, "CREATE INDEX orders_total_hotfix ON orders (total)");
        var drifted = await Run("drift", "--path", _dir.Path, "--json");
        Assert.Equal(1, drifted.ExitCode);
        var d = Assert.Single(JsonDocument.Parse(drifted.Stdout).RootElement.EnumerateArray().ToList());
        Assert.Equal(("Added", "Index", "orders_total_hotfix"), (d.GetProperty("change").GetString(), d.GetProperty("kind").GetString(), d.GetProperty("name").GetString()));
        Assert.Equal(0, (await Run("drift", "--path", _dir.Path, "--ignore-object", "Index:public.*_hotfix")).ExitCode);
    }

    [Fact]
    public async Task Health_exits_1_when_a_check_fails_and_activity_summarizes_connections()
    {
        var healthy = await Run("health", "--json");
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.Equal(8, JsonDocument.Parse(healthy.Stdout).RootElement.GetArrayLength());
        var strict = await Run("health", "--max-connection-use", "0.1");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("FAILED   Connections", strict.Stdout);

        var summary = await Run("activity", "--summary", "--json");
        Assert.True(summary.ExitCode == 0, summary.ToString());
        Assert.Equal(300, JsonDocument.Parse(summary.Stdout).RootElement[0].GetProperty("maxConnections").GetInt32());
    }

    [Fact]
    public async Task Report_turns_json_outputs_into_markdown_junit_and_html_and_restore_refuses_a_non_empty_database()
    {
        _dir.Write("V1__users.sql", "CREATE TABLE users (id int);");
        var migrate = await Run("migrate", "--path", _dir.Path, "--json");
        File.WriteAllText(Path.Combine(_dir.Path, "migrate.json"), migrate.Stdout);
        File.WriteAllText(Path.Combine(_dir.Path, "health.json"), (await Run("health", "--json")).Stdout);

        foreach (var name in new[] { "log.md", "junit.xml", "page.html" })
        {
            var report = await Run("report", "--out", Path.Combine(_dir.Path, name), Path.Combine(_dir.Path, "migrate.json"), Path.Combine(_dir.Path, "health.json"));
            Assert.True(report.ExitCode == 0, report.ToString());
        }
        Assert.Contains("| V1 | users | Applied |", File.ReadAllText(Path.Combine(_dir.Path, "log.md")));
        Assert.Contains("<testcase classname=\"health.", File.ReadAllText(Path.Combine(_dir.Path, "junit.xml")));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(_dir.Path, "page.html")));

        var dump = Path.Combine(_dir.Path, "users.dump");
        Assert.Equal(0, (await Run("backup", "--out", dump)).ExitCode);
        var refused = await Run("restore", dump);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("[RestoreTargetNotEmpty]", refused.Stderr);
        Assert.Equal(2, (await Run("restore", dump, "--create", "--clean")).ExitCode);
    }

    [Fact]
    public async Task Lint_reports_in_every_format_and_its_exit_code_follows_the_level()
    {
        _dir.Write("V1__risky.sql", "ALTER TABLE orders ADD COLUMN total numeric NOT NULL;\nCREATE INDEX orders_total ON orders (total);\n");
        _dir.Write("U1__risky.sql", "DROP INDEX CONCURRENTLY IF EXISTS orders_total;\nALTER TABLE orders DROP COLUMN IF EXISTS total;\n");

        var human = await CliProcess.RunAsync(["lint", _dir.Path]);
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("error[adding-required-field]", human.Stdout);
        Assert.Contains("V1__risky.sql:1:45", human.Stdout);

        var json = await CliProcess.RunAsync(["lint", _dir.Path, "--json"]);
        var found = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        var rules = found.Select(e => e.GetProperty("ruleId").GetString()).ToList();
        int AtLeast(params string[] severities) => found.Count(e => severities.Contains(e.GetProperty("severity").GetString(), StringComparer.OrdinalIgnoreCase));
        Assert.Contains("require-concurrent-index-creation", rules);

        var gcc = await CliProcess.RunAsync(["lint", _dir.Path, "--format", "gcc"]);
        Assert.Contains(gcc.Stdout.Split('\n'), l => l.EndsWith("warning: CREATE INDEX on orders blocks every write to it until the index is built [require-concurrent-index-creation]"));
        // JUnit lists every finding and fails those at --level and above, as the exit code does (the report's writer).
        var junit = System.Xml.Linq.XDocument.Parse((await CliProcess.RunAsync(["lint", _dir.Path, "--format", "junit"])).Stdout).Root!;
        Assert.Equal((rules.Count, AtLeast("error", "warning")), ((int)junit.Attribute("tests")!, (int)junit.Attribute("failures")!));
        var errorsOnly = System.Xml.Linq.XDocument.Parse((await CliProcess.RunAsync(["lint", _dir.Path, "--format", "junit", "--level", "error"])).Stdout).Root!;
        Assert.Equal((rules.Count, AtLeast("error")), ((int)errorsOnly.Attribute("tests")!, (int)errorsOnly.Attribute("failures")!));
        Assert.True(AtLeast("error") is > 0 && AtLeast("error") < AtLeast("error", "warning"));

        var examples = Path.Combine(Path.GetDirectoryName(typeof(CliTests).Assembly.Location)!, "../../../../../examples/parking/db/migration");
        Assert.Equal(0, (await CliProcess.RunAsync(["lint", examples])).ExitCode);
        Assert.Equal(1, (await CliProcess.RunAsync(["lint", _dir.Path, "--level", "error"])).ExitCode); // an error is there
        using var warningsOnly = new TempDir();
        warningsOnly.Write("V1__index.sql", "CREATE INDEX orders_total ON orders (total);");
        Assert.Equal(1, (await CliProcess.RunAsync(["lint", warningsOnly.Path])).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(["lint", warningsOnly.Path, "--level", "error"])).ExitCode);
        Assert.Equal(2, (await CliProcess.RunAsync(["lint"])).ExitCode);
        Assert.Equal(2, (await CliProcess.RunAsync(["lint", _dir.Path, "--format", "pdf"])).ExitCode);
    }

    [Fact]
    public async Task Migrate_with_a_lint_level_refuses_to_start_on_a_risky_pending_migration()
    {
        _dir.Write("V1__risky.sql", "ALTER TABLE legacy ADD COLUMN level int NOT NULL;");
        var r = await Run("migrate", "--path", _dir.Path, "--lint-level", "error");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("[LintFailed]", r.Stderr);
        Assert.Contains("[adding-required-field]", r.Stderr);
        Assert.Equal(2, (await Run("migrate", "--path", _dir.Path, "--lint-level", "severe")).ExitCode);
    }
}
