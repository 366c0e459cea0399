using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// Flyway's initSql, as teams with short-lived logins (Vault's dynamic users) use it: SET ROLE app_owner, so every
/// object, the history table included, belongs to the application's role and not to this week's login. It was
/// refused (UnsupportedSetting), so such a Flyway project could not be taken over.
/// </summary>
public class InitSqlTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    /// <summary>A login that is a member of an owner role (both cluster-wide: named after this test's database).</summary>
    private async Task<(string Owner, ConnectionTarget Login)> RolesAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        var (owner, login) = ($"owner_{database}", $"login_{database}");
        await ExecAsync($"CREATE ROLE {owner} NOLOGIN; CREATE ROLE {login} LOGIN PASSWORD 'pw' IN ROLE {owner}; " +
                        $"GRANT CREATE ON SCHEMA public TO {owner}; GRANT CREATE ON DATABASE {database} TO {owner}");
        return (owner, ConnectionTarget.Parse($"postgres://{login}:pw@127.0.0.1:{_pg.Server.Port}/{database}?sslmode=disable"));
    }

    private Task<string?> OwnerOfAsync(string table) => ScalarAsync<string>($"SELECT tableowner FROM pg_tables WHERE tablename = '{table}'");

    [Fact]
    public async Task Its_role_owns_every_object_and_the_history_and_lasts_past_a_script_that_resets_the_session()
    {
        var (owner, login) = await RolesAsync();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__resets.sql", "RESET ROLE;\nCREATE TABLE b (id int);"); // made by the login itself, as written
        Dir.Write("V3__c.sql", "CREATE TABLE c (id int);");
        var settings = new MigrationSettings { Locations = [Dir.Path], InitSql = $"SET ROLE {owner}" };

        Assert.Equal(3, (await MigrateOperation.MigrateAsync(new MigrationRequest(login, settings), new RecordingSink(), CancellationToken.None)).Count);

        Assert.Equal(owner, await OwnerOfAsync("flyway_schema_history"));
        Assert.Equal(owner, await OwnerOfAsync("a"));
        Assert.NotEqual(owner, await OwnerOfAsync("b"));
        Assert.Equal(owner, await OwnerOfAsync("c")); // the reset after V2 ran the initSql again
        // installed_by is the role in effect, as Flyway records it.
        Assert.Equal(owner, await ScalarAsync<string>("SELECT string_agg(DISTINCT installed_by, ',') FROM flyway_schema_history"));
    }

    [Fact]
    public async Task A_failing_initSql_changes_nothing_and_its_text_is_not_shown()
    {
        var (_, login) = await RolesAsync();
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var settings = new MigrationSettings { Locations = [Dir.Path], InitSql = "SET ROLE no_such_role_hunter2" };

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(new MigrationRequest(login, settings), new RecordingSink(), CancellationToken.None));

        Assert.Equal("InitSqlFailed", e.ErrorId);
        Assert.Contains("22023", e.Message); // role does not exist
        Assert.DoesNotContain("SET ROLE", e.ToString());
        Assert.Null(e.InnerException);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
    }

    [Fact]
    public async Task An_empty_initSql_as_flyway_conf_may_hold_it_runs_nothing()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Assert.Single(await MigrateAsync(s => s with { InitSql = "  " }));
    }

    [Fact]
    public async Task The_dry_run_plan_says_it_runs_first_without_writing_it()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var plan = Path.Combine(Dir.Path, "plan.sql");

        await MigrateOperation.DryRunAsync(Request(s => s with { InitSql = "SELECT set_config('app.key', 'hunter2', false)" }), plan, new RecordingSink(), CancellationToken.None);

        var text = File.ReadAllText(plan);
        Assert.Contains("-- The initSql setting runs first", text);
        Assert.DoesNotContain("hunter2", text);
    }

    [Fact]
    public async Task Behind_a_transaction_pooler_it_is_refused_before_anything_runs()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 2, roundRobin: true);
        await bouncer.WarmAsync(database, 2);
        var request = new MigrationRequest(ConnectionTarget.Parse(bouncer.ConnectionString(database)),
            new MigrationSettings { Locations = [Dir.Path], InitSql = "SET ROLE postgres" });

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None));

        Assert.Equal("InitSqlBehindPooler", e.ErrorId);
        Assert.Contains("beforeEachMigrate", e.Message);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
    }
}
