using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Snapshots;

/// <summary>The drift check against a real database: its migrations replayed on a throwaway server and compared.</summary>
public class DriftTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private async Task<List<SchemaDifference>> DriftAsync(DriftOptions? options = null, Func<MigrationSettings, MigrationSettings>? tweak = null) =>
        await DriftOperation.CheckAsync(Request(tweak), options ?? new DriftOptions(), new RecordingSink(), CancellationToken.None);

    private void Migrations()
    {
        Dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL CHECK (total >= 0), placed_at timestamptz NOT NULL DEFAULT now());");
        Dir.Write("V2__report.sql", "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > ${threshold};\nCREATE INDEX orders_placed ON orders (placed_at);");
        Dir.Write("V3__later.sql", "CREATE TABLE refunds (id bigint PRIMARY KEY);"); // pending on the live database: not drift
    }

    private static MigrationSettings WithThreshold(MigrationSettings s) =>
        s with { Placeholders = new Dictionary<string, string> { ["threshold"] = "100" } };

    [Fact]
    public async Task A_database_its_migrations_built_has_no_drift_even_with_migrations_pending()
    {
        Migrations();
        await MigrateAsync(s => WithThreshold(s) with { Target = "2" });
        await ExecAsync("INSERT INTO orders (id, total) VALUES (1, 5), (2, 500)"); // data is not schema
        Assert.Empty(await DriftAsync(tweak: WithThreshold));
    }

    [Fact]
    public async Task A_hand_made_column_and_index_a_changed_view_and_a_dropped_constraint_are_each_found_and_named()
    {
        Migrations();
        await MigrateAsync(s => WithThreshold(s) with { Target = "2" });
        await ExecAsync("""
            ALTER TABLE orders ADD COLUMN note text;
            CREATE INDEX orders_total_hotfix ON orders (total);
            CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 50;
            ALTER TABLE orders DROP CONSTRAINT orders_total_check;
            """);

        var drift = await DriftAsync(tweak: WithThreshold);

        Assert.Equal(
            [(SchemaObjectKind.Column, "orders.note", SchemaChange.Added), (SchemaObjectKind.Constraint, "orders.orders_total_check", SchemaChange.Removed),
             (SchemaObjectKind.Index, "orders_total_hotfix", SchemaChange.Added), (SchemaObjectKind.View, "big_orders", SchemaChange.Changed)],
            drift.Select(d => (d.Kind, d.Name, d.Change)).OrderBy(d => d.Kind).ThenBy(d => d.Name, StringComparer.Ordinal));
        var view = drift.Single(d => d.Kind == SchemaObjectKind.View);
        Assert.Contains("100", view.Reference); // what the migrations built, placeholders replaced as when they ran
        Assert.Contains("50", view.Difference);

        // Objects a team manages by hand: the parameter, else the config's driftIgnore.
        var ignored = await DriftAsync(new DriftOptions(["Index:public.*_hotfix", "public.orders.note"]), WithThreshold);
        Assert.Equal(2, ignored.Count);
        Assert.Equal(2, (await DriftAsync(tweak: s => WithThreshold(s) with { DriftIgnore = ["*.orders_total_hotfix", "PUBLIC.ORDERS.NOTE"] })).Count);
    }

    [Fact]
    public async Task Row_level_security_switched_off_and_policies_changed_by_hand_are_drift()
    {
        // Invisible before: a snapshot recorded neither the switch nor the policies, so a hotfix that opened every row was "no drift".
        Dir.Write("V1__tenants.sql", "CREATE TABLE accounts (id int, tenant text);\nALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\n" +
                                     "CREATE POLICY tenant_rows ON accounts USING (tenant = current_user);\nCREATE POLICY no_deletes ON accounts AS RESTRICTIVE FOR DELETE USING (false);\n" +
                                     "CREATE TYPE money_range AS RANGE (subtype = numeric);\nCREATE TYPE address AS (street text, city text);");
        await MigrateAsync();
        Assert.Empty(await DriftAsync());
        await ExecAsync("""
            ALTER TABLE accounts DISABLE ROW LEVEL SECURITY;
            ALTER POLICY tenant_rows ON accounts USING (true);
            DROP POLICY no_deletes ON accounts;
            ALTER TYPE address ADD ATTRIBUTE zip text;
            """);

        var drift = await DriftAsync();

        Assert.Equal(
            [(SchemaObjectKind.Policy, "accounts.no_deletes", SchemaChange.Removed), (SchemaObjectKind.Policy, "accounts.tenant_rows", SchemaChange.Changed),
             (SchemaObjectKind.RowSecurity, "accounts", SchemaChange.Removed), (SchemaObjectKind.Type, "address", SchemaChange.Changed)],
            drift.Select(d => (d.Kind, d.Name, d.Change)).OrderBy(d => d.Kind).ThenBy(d => d.Name, StringComparer.Ordinal));
        Assert.Equal("ENABLED", drift.Single(d => d.Kind == SchemaObjectKind.RowSecurity).Reference);
        Assert.Equal("FOR ALL TO PUBLIC USING ((tenant = CURRENT_USER))", drift.Single(d => d.Name == "accounts.tenant_rows").Reference);
    }

    [Fact]
    public async Task Grants_made_and_revoked_by_hand_are_drift_and_the_migrations_own_are_not_though_another_role_owns_them_live()
    {
        // Invisible before: a snapshot recorded no privileges, so GRANT ALL ... TO PUBLIC during an incident, or a REVOKE that
        // locked the reporting role out, was "no drift". Live, the objects belong to the role initSql sets (the grantor of every
        // grant); replayed on the throwaway server, to its superuser: not drift.
        var suffix = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await ExecAsync($"CREATE ROLE owner_{suffix} NOLOGIN; CREATE ROLE reader_{suffix} NOLOGIN; GRANT CREATE ON DATABASE \"{suffix}\" TO owner_{suffix}; GRANT owner_{suffix} TO CURRENT_USER");
        MigrationSettings InApp(MigrationSettings s) => s with { Schemas = ["app"] }; // made by the owner role, history and all
        Dir.Write("V1__a.sql", $"GRANT USAGE ON SCHEMA app TO reader_{suffix};\nCREATE TABLE app.accounts (id int);\nGRANT SELECT ON app.accounts TO reader_{suffix};\n" +
                               "CREATE TABLE app.audit (id int);\nCREATE FUNCTION app.purge() RETURNS void LANGUAGE sql AS 'DELETE FROM app.audit';\nREVOKE EXECUTE ON FUNCTION app.purge() FROM PUBLIC;");
        await MigrateAsync(s => InApp(s) with { InitSql = $"SET ROLE owner_{suffix}" });
        Assert.Equal($"owner_{suffix}", await ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'accounts'"));
        var none = await DriftAsync(tweak: InApp);
        Assert.True(none.Count == 0, string.Join("\n", none.Select(d => $"{d.Change} {d.Kind} {d.Schema}.{d.Name}: {d.Reference} -> {d.Difference}")));

        await ExecAsync($"GRANT ALL ON app.audit TO PUBLIC; REVOKE SELECT ON app.accounts FROM reader_{suffix}; GRANT EXECUTE ON FUNCTION app.purge() TO PUBLIC; GRANT CREATE ON SCHEMA app TO reader_{suffix}");

        var drift = await DriftAsync(tweak: InApp);

        Assert.Equal(
            [(SchemaObjectKind.Privileges, "", SchemaChange.Changed, $"GRANT USAGE TO reader_{suffix}", $"GRANT CREATE, USAGE TO reader_{suffix}"),
             (SchemaObjectKind.Privileges, "accounts", SchemaChange.Removed, $"GRANT SELECT TO reader_{suffix}", null), // back to the owner's only: PostgreSQL's default
             (SchemaObjectKind.Privileges, "audit", SchemaChange.Added, null, "GRANT DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE TO PUBLIC"),
             (SchemaObjectKind.Privileges, "purge()", SchemaChange.Removed, "no grants beyond the owner's", null)],
            drift.Select(d => (d.Kind, d.Name, d.Change, d.Reference, d.Difference)).OrderBy(d => d.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Migrations_that_grant_to_the_live_server_s_roles_replay_on_the_throwaway_server_without_them()
    {
        var role = $"reader_{new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database}";
        await ExecAsync($"CREATE ROLE {role} NOLOGIN");
        Dir.Write("V1__a.sql", $"CREATE TABLE a (id int);\nGRANT SELECT ON a TO {role};\nCREATE POLICY mine ON a TO {role} USING (true);");
        await MigrateAsync();

        Assert.Empty(await DriftAsync()); // failed: role ... does not exist, on the throwaway server
    }

    [Fact]
    public async Task Nothing_applied_and_nothing_made_is_no_drift_and_a_table_made_by_hand_is()
    {
        Migrations();
        Assert.Empty(await DriftAsync(tweak: WithThreshold));
        await ExecAsync("CREATE TABLE scratch (id int)");
        var drift = await DriftAsync(tweak: WithThreshold);
        Assert.Contains(drift, d => d is { Kind: SchemaObjectKind.Table, Name: "scratch", Change: SchemaChange.Added });
    }

    [Fact]
    public async Task Through_a_transaction_pooler_the_live_database_is_read_as_directly()
    {
        Migrations();
        await MigrateAsync(s => WithThreshold(s) with { Target = "2" });
        await ExecAsync("CREATE INDEX orders_total_hotfix ON orders (total);");
        await using var bouncer = await PgBouncer.StartAsync(_pg.Server, "transaction", poolSize: 1);
        var pooled = Request(WithThreshold) with { Target = ConnectionTarget.Parse(bouncer.ConnectionString(new NpgsqlConnectionStringBuilder(ConnectionString).Database!)) };

        var drift = await DriftOperation.CheckAsync(pooled, new DriftOptions(), new RecordingSink(), CancellationToken.None);

        Assert.Equal((SchemaObjectKind.Index, "orders_total_hotfix", SchemaChange.Added), Assert.Single(drift.Select(d => (d.Kind, d.Name, d.Change))));
    }
}
