using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Rehearsal;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Rehearsal;

/// <summary>The rehearsal end to end on a real PostgreSQL: generated sets in every layout, the examples, and the faults it must catch.</summary>
public class RehearsalTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static readonly string Examples = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples"));

    private Task<RehearsalResult> RehearseAsync(string location, MigrationLayout layout = MigrationLayout.Auto, TimeSpan? slow = null, bool ephemeral = false,
        string? fromBackup = null) =>
        RehearsalOperation.RunAsync(new RehearsalRequest
        {
            Settings = new MigrationSettings { Locations = [location], Layout = layout },
            Target = ephemeral ? null : ConnectionTarget.Parse(ConnectionString),
            SlowThreshold = slow ?? TimeSpan.FromSeconds(30),
            FromBackup = fromBackup,
        }, new RecordingSink(), CancellationToken.None);

    /// <summary>300 migrations: a table, then a column on it, alternately; every one with its undo. <paramref name="forget"/>: that undo leaves its column behind.</summary>
    private void Generate(MigrationLayout layout, int? forget = null)
    {
        for (var i = 1; i <= 300; i++)
        {
            var table = $"t{(i + 1) / 2:D3}";
            var up = i % 2 == 1 ? $"CREATE TABLE {table} (id bigint PRIMARY KEY, name text);\nINSERT INTO {table} VALUES (1, 'a'), (2, 'b');"
                : $"ALTER TABLE {table} ADD COLUMN c{i} text;\nCREATE INDEX {table}_c{i} ON {table} (c{i});";
            var down = i % 2 == 1 ? $"DROP TABLE {table};" : i == forget ? $"DROP INDEX {table}_c{i};" : $"ALTER TABLE {table} DROP COLUMN c{i};";
            switch (layout)
            {
                case MigrationLayout.Flyway:
                    Dir.Write($"V{i}__step_{i}.sql", up);
                    Dir.Write($"U{i}__step_{i}.sql", down);
                    break;
                case MigrationLayout.Dbmate:
                    Dir.Write($"{20240101000000L + i}_step_{i}.sql", $"-- migrate:up\n{up}\n\n-- migrate:down\n{down}\n");
                    break;
                default:
                    Dir.Write($"{i:D6}_step_{i}.up.sql", up);
                    Dir.Write($"{i:D6}_step_{i}.down.sql", down);
                    break;
            }
        }
    }

    [Theory]
    [InlineData(MigrationLayout.Flyway)]
    [InlineData(MigrationLayout.Dbmate)]
    [InlineData(MigrationLayout.GolangMigrate)]
    public async Task A_data_backfill_with_an_empty_undo_rehearses_clean_in_each_layout(MigrationLayout layout)
    {
        (string Up, string Down)[] steps = [("CREATE TABLE t (id bigint PRIMARY KEY, done boolean);", "DROP TABLE t;"), ("UPDATE t SET done = true WHERE id < 100;", "")];
        for (var i = 1; i <= steps.Length; i++)
            _ = layout switch
            {
                MigrationLayout.Flyway => Dir.Write($"V{i}__step.sql", steps[i - 1].Up) + Dir.Write($"U{i}__step.sql", steps[i - 1].Down),
                MigrationLayout.Dbmate => Dir.Write($"{20240101000000L + i}_step.sql", $"-- migrate:up\n{steps[i - 1].Up}\n-- migrate:down\n{steps[i - 1].Down}\n"),
                _ => Dir.Write($"{i}_step.up.sql", steps[i - 1].Up) + Dir.Write($"{i}_step.down.sql", steps[i - 1].Down),
            };

        var result = await RehearseAsync(Dir.Path);

        Assert.True(result.Passed, string.Join("\n", result.Checks));
    }

    [Theory]
    [InlineData(MigrationLayout.Flyway)]
    [InlineData(MigrationLayout.Dbmate)]
    [InlineData(MigrationLayout.GolangMigrate)]
    public async Task Three_hundred_migrations_rehearse_clean_in_each_layout(MigrationLayout layout)
    {
        Generate(layout);
        var result = await RehearseAsync(Dir.Path);
        Assert.True(result.Passed, string.Join("\n", result.Checks));
        Assert.Equal(layout, result.Layout);
        Assert.Equal(300, result.Migrations.Count);
        Assert.All(result.Migrations, m => Assert.True(m.ApplySeconds is not null && m.UndoSeconds is not null && m.ReapplySeconds is not null, m.ToString()));
        Assert.Equal(["lint", "apply", "slow migrations", "validate", "undo", "undo restores the state before", "re-apply", "re-apply reproduces the first apply"],
            result.Checks.Select(c => c.Name));
    }

    [Fact]
    public async Task A_down_script_that_forgets_a_column_is_caught_and_named()
    {
        Generate(MigrationLayout.GolangMigrate, forget: 150);
        var result = await RehearseAsync(Dir.Path);
        Assert.False(result.Passed);
        var undo = result.Checks.Single(c => c.Name == "undo");
        Assert.False(undo.Passed);
        Assert.True(undo.Detail.Contains("undoing 000150 "), undo.Detail);
        var difference = Assert.Single(result.UndoDifferences);
        Assert.Equal((SchemaObjectKind.Column, "t075.c150", SchemaChange.Added), (difference.Kind, difference.Name, difference.Change));
        Assert.True(result.Checks.Single(c => c.Name == "re-apply").Skipped);
        Assert.True(await TableExistsAsync("t075")); // stopped right there: the database shows what the undo left
    }

    [Fact]
    public async Task The_example_passes_on_a_throwaway_server_and_the_faulty_copy_fails_each_fault_in_its_own_check()
    {
        var good = await RehearseAsync(Path.Combine(Examples, "parking/db/migration"), ephemeral: true);
        Assert.True(good.Passed, string.Join("\n", good.Checks));
        Assert.StartsWith("throwaway PostgreSQL", good.Target);
        Assert.InRange(good.Migrations.Count, 15, 30);

        var bad = await RehearseAsync(Path.Combine(Examples, "parking-faulty/db/migration"), slow: TimeSpan.FromSeconds(1), ephemeral: true);
        Assert.False(bad.Passed);
        var failed = bad.Checks.Where(c => !c.Passed).ToDictionary(c => c.Name);
        Assert.Equal(["lint", "slow migrations", "undo"], failed.Keys);
        Assert.Contains(failed["lint"].Problems, p => p.Contains("V19__drop_vehicle_created_at.sql") && p.Contains("ban-drop-column"));
        Assert.Contains(failed["slow migrations"].Problems, p => p.Contains("V13__backfill_spot_tariffs.sql"));
        Assert.Contains("undoing 12", failed["undo"].Detail);
        Assert.Contains(bad.UndoDifferences, d => d.Name == "parking_spots.tariff_id");
        Assert.Single(bad.Migrations, m => m.Slow);
    }

    [Fact]
    public async Task A_migration_without_an_undo_script_is_a_floor_and_what_is_above_it_is_still_rehearsed()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id bigint);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id bigint);");
        Dir.Write("V3__c.sql", "CREATE TABLE c (id bigint);");
        Dir.Write("U3__c.sql", "DROP TABLE c;");
        var result = await RehearseAsync(Dir.Path);
        Assert.True(result.Passed, string.Join("\n", result.Checks));
        Assert.Null(result.Migrations[0].UndoSeconds);   // below the floor: applied first, never undone
        Assert.Null(result.Migrations[1].UndoSeconds);   // the floor itself
        Assert.NotNull(result.Migrations[2].UndoSeconds);
        Assert.True(await TableExistsAsync("c")); // re-applied
    }

    [Fact]
    public async Task An_undo_that_leaves_a_grant_behind_fails_the_undo_check_naming_it()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id bigint);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        Dir.Write("V2__open.sql", "GRANT SELECT ON a TO PUBLIC;");
        Dir.Write("U2__open.sql", "SELECT 1; -- forgets REVOKE SELECT ON a FROM PUBLIC");
        var result = await RehearseAsync(Dir.Path);
        var undo = result.Checks.Single(c => c.Name == "undo");
        Assert.False(undo.Passed);
        Assert.Contains(undo.Problems, p => p.Contains("Privileges") && p.Contains("GRANT SELECT TO PUBLIC"));
    }

    [Fact]
    public async Task Undo_is_skipped_naming_the_latest_migration_when_it_has_no_undo_script()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id bigint);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id bigint);"); // no U2: undo cannot start from the top
        var result = await RehearseAsync(Dir.Path);
        var undo = result.Checks.Single(c => c.Name == "undo");
        Assert.True(undo.Skipped);
        Assert.Equal("the latest migration, 2, has no undo script, so none can be undone in order: the way back is untested", undo.Detail);
    }

    [Fact]
    public async Task A_failing_migration_fails_the_apply_and_skips_the_rest()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id bigint);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        Dir.Write("V2__broken.sql", "ALTER TABLE missing ADD COLUMN x text;");
        Dir.Write("U2__broken.sql", "SELECT 1;");
        var result = await RehearseAsync(Dir.Path);
        Assert.False(result.Passed);
        var apply = result.Checks.Single(c => c.Name == "apply");
        Assert.Contains("V2__broken.sql", apply.Detail + string.Join("", apply.Problems));
        Assert.True(result.Checks.Single(c => c.Name == "undo").Skipped);
    }

    [Fact]
    public async Task A_set_that_grants_to_the_application_s_roles_rehearses_on_a_throwaway_server_that_has_none_of_them()
    {
        // Roles belong to the server: every such set failed with "role ... does not exist" on the throwaway server.
        Dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint);\nGRANT SELECT ON orders TO app_readonly;\nALTER TABLE orders OWNER TO app_owner;");
        Dir.Write("U1__orders.sql", "DROP TABLE orders;");
        Dir.Write("V2__policy.sql", "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\nCREATE POLICY mine ON orders TO app_user USING (true);");
        Dir.Write("U2__policy.sql", "DROP POLICY mine ON orders;\nALTER TABLE orders DISABLE ROW LEVEL SECURITY;");
        Dir.Write("V3__own_role.sql", "CREATE ROLE app_auditor NOLOGIN;\nGRANT SELECT ON orders TO app_auditor;"); // a set making its own role still does
        Dir.Write("U3__own_role.sql", "REVOKE SELECT ON orders FROM app_auditor;\nDROP ROLE app_auditor;");

        var result = await RehearseAsync(Dir.Path, ephemeral: true);

        Assert.True(result.Passed, string.Join("\n", result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail} {string.Join(" ", c.Problems)}")));
        Assert.Contains("role app_owner, app_readonly, app_user", result.Checks.Single(c => c.Name == "apply").Detail);
        Assert.Equal(["1", "2", "3"], result.Migrations.Select(m => m.Version!.Text));
    }

    [Fact]
    public async Task A_missing_role_is_not_made_on_a_server_that_is_not_a_throwaway_one()
    {
        Dir.Write("V1__orders.sql", "CREATE TABLE orders (id bigint);\nGRANT SELECT ON orders TO no_such_role_here;");
        Dir.Write("U1__orders.sql", "DROP TABLE orders;");

        var result = await RehearseAsync(Dir.Path); // on the staging database given

        Assert.False(result.Passed);
        Assert.Contains("role \"no_such_role_here\" does not exist", result.Checks.Single(c => c.Name == "apply").Detail);
        Assert.Null(await ScalarAsync<string>("SELECT rolname FROM pg_roles WHERE rolname = 'no_such_role_here'"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task From_a_backup_only_the_pending_migrations_are_rehearsed_and_the_scratch_database_is_dropped(bool ephemeral)
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id bigint PRIMARY KEY);\nINSERT INTO a SELECT generate_series(1, 1000);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        await MigrateAsync(s => s with { Target = "1" });
        var backup = await Engine.Backups.BackupOperation.BackupAsync(Request(), new Engine.Backups.BackupOptions(Path.Combine(Dir.Path, "prod.dump")), new RecordingSink(), CancellationToken.None);
        Dir.Write("V2__b.sql", "ALTER TABLE a ADD COLUMN note text;");
        Dir.Write("U2__b.sql", "ALTER TABLE a DROP COLUMN note;");
        var databases = await ScalarAsync<long>("SELECT count(*) FROM pg_database");

        var result = await RehearseAsync(Dir.Path, ephemeral: ephemeral, fromBackup: backup.Path);

        Assert.True(result.Passed, string.Join("\n", result.Checks));
        Assert.Equal(["2"], result.Migrations.Where(m => m.ApplySeconds is not null).Select(m => m.Version?.Text)); // V1 came with the backup
        Assert.Equal(ephemeral ? "throwaway" : "schemaops_rehearsal_", ephemeral ? result.Target[..9] : result.Target.Split('/')[1][..20]);
        Assert.Equal(databases, await ScalarAsync<long>("SELECT count(*) FROM pg_database")); // the scratch database is gone again
        Assert.False(await ScalarAsync<bool>("SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'note')")); // the named database untouched
    }

    [Fact]
    public async Task A_production_backup_whose_objects_belong_to_its_roles_rehearses_on_a_throwaway_server()
    {
        // A real backup names the server's roles (owners, grants, policies): restoring it on a throwaway server stopped at the
        // first one ("role app_owner does not exist"), so no production backup could be rehearsed there.
        var suffix = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await ExecAsync($"CREATE ROLE owner_{suffix} NOLOGIN; CREATE ROLE reader_{suffix} NOLOGIN");
        Dir.Write("V1__a.sql", $"CREATE TABLE a (id bigint PRIMARY KEY);\nALTER TABLE a OWNER TO owner_{suffix};\nGRANT SELECT ON a TO reader_{suffix};\n" +
                               $"ALTER TABLE a ENABLE ROW LEVEL SECURITY;\nCREATE POLICY readers ON a TO reader_{suffix} USING (true);");
        Dir.Write("U1__a.sql", "DROP TABLE a;");
        await MigrateAsync();
        var backup = await Engine.Backups.BackupOperation.BackupAsync(Request(), new Engine.Backups.BackupOptions(Path.Combine(Dir.Path, "prod.dump")), new RecordingSink(), CancellationToken.None);
        Dir.Write("V2__b.sql", $"ALTER TABLE a ADD COLUMN note text;\nGRANT SELECT ON a TO reader_{suffix};");
        Dir.Write("U2__b.sql", "ALTER TABLE a DROP COLUMN note;");

        var result = await RehearseAsync(Dir.Path, ephemeral: true, fromBackup: backup.Path);

        Assert.True(result.Passed, string.Join("\n", result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail} {string.Join(" ", c.Problems)}")));
        Assert.Equal(["2"], result.Migrations.Where(m => m.ApplySeconds is not null).Select(m => m.Version?.Text));
    }
}
