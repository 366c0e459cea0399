using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Snapshots;

public class SnapshotTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private Task<SchemaSnapshot> SnapshotAsync(string? connectionString = null, RowCountMode rows = RowCountMode.Exact) =>
        SnapshotOperation.TakeAsync(new MigrationRequest(ConnectionTarget.Parse(connectionString ?? ConnectionString), new MigrationSettings()), rows, new RecordingSink(), CancellationToken.None);

    [Fact]
    public async Task The_timeouts_a_production_database_sets_do_not_stop_a_snapshot_as_they_do_not_stop_pg_dump()
    {
        // ALTER DATABASE ... SET statement_timeout / lock_timeout, the usual guards: exact row counts of a big table,
        // or a table a maintenance job holds for a moment, outlasted them and the snapshot (and the backup) failed.
        await ExecAsync("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 25);");
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await ExecAsync($"ALTER DATABASE \"{database}\" SET statement_timeout = '100ms'; ALTER DATABASE \"{database}\" SET lock_timeout = '100ms'");
        ConnectionTarget.ClearAllPools(); // new sessions take the settings
        await using var holder = new NpgsqlConnection(ConnectionString + ";Pooling=false;Options=-c statement_timeout=0");
        await holder.OpenAsync();
        await using (var lockTable = new NpgsqlCommand("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE;", holder)) await lockTable.ExecuteNonQueryAsync();

        var snapshot = SnapshotAsync();
        await Task.Delay(1000); // the row count waits for the table, past both timeouts
        await holder.CloseAsync();

        Assert.Equal(25, (await snapshot).RowCounts.Single(c => c.Table == "t").Rows);
    }

    [Fact]
    public async Task Records_every_object_kind_with_row_counts_and_the_migrations_in_effect()
    {
        Dir.Write("V1__extra.sql", "CREATE TABLE extra (id int);");
        await MigrateAsync();
        await ExecAsync(EveryObjectKind.Sql);

        var snapshot = await SnapshotAsync();

        foreach (var kind in Enum.GetValues<SchemaObjectKind>().Except([SchemaObjectKind.RowCount, SchemaObjectKind.Migration]))
            Assert.True(snapshot.Objects.Any(o => o.Kind == kind), $"no {kind} recorded");
        Assert.Equal(["billing", "public"], snapshot.Schemas);
        Assert.Contains(snapshot.Objects, o => o is { Kind: SchemaObjectKind.Column, Name: "customers.name_length" } && o.Definition == "#6 integer GENERATED ALWAYS AS (length(name)) STORED");
        Assert.Contains(snapshot.Objects, o => o is { Kind: SchemaObjectKind.Column, Name: "customers.name" } && o.Definition == "#3 text COLLATE \"C\" NOT NULL DEFAULT 'anonymous'::text");
        Assert.Contains(snapshot.Objects, o => o is { Kind: SchemaObjectKind.Enum, Name: "mood" } && o.Definition == "'sad', 'ok', 'happy'");
        Assert.Contains(snapshot.Objects, o => o is { Kind: SchemaObjectKind.Privileges, Schema: "billing", Name: "" } && o.Definition == "GRANT USAGE TO PUBLIC");
        Assert.Contains(snapshot.Objects, o => o is { Kind: SchemaObjectKind.Privileges, Name: "customer_totals" } && o.Definition == "GRANT SELECT TO PUBLIC");
        Assert.Contains(snapshot.Objects, o => o is { Kind: SchemaObjectKind.Privileges, Name: "close_month(IN p date)" } && o.Definition == "no grants beyond the owner's");
        Assert.DoesNotContain(snapshot.Objects, o => o is { Kind: SchemaObjectKind.Privileges, Name: "touch()" }); // PUBLIC's EXECUTE, the default: not news
        Assert.DoesNotContain(snapshot.Objects, o => o.Name.Contains("flyway_schema_history")); // history is recorded as migrations
        Assert.DoesNotContain(snapshot.Objects, o => o.Kind == SchemaObjectKind.Function && o.Name.StartsWith("citext")); // the extension's own
        Assert.Equal(50, snapshot.RowCounts.Single(c => c.Table == "customers").Rows);
        var migration = Assert.Single(snapshot.Migrations);
        Assert.Equal(("1", "Applied"), (migration.Version?.Text, migration.State));
        Assert.Equal("1", snapshot.MigrationVersion?.Text);
    }

    [Fact]
    public async Task A_pg_dump_and_pg_restore_round_trip_compares_equal_and_each_change_is_one_difference()
    {
        await ExecAsync(EveryObjectKind.Sql);
        var copy = await _pg.NewDatabaseAsync();
        await PgTools.DumpAndRestoreAsync(_pg, new NpgsqlConnectionStringBuilder(ConnectionString).Database!, new NpgsqlConnectionStringBuilder(copy).Database!);

        var original = await SnapshotAsync();
        var restored = await SnapshotAsync(copy);
        Assert.Empty(SnapshotComparer.Compare(original, restored));

        await using (var c = new NpgsqlConnection(copy))
        {
            await c.OpenAsync();
            await new NpgsqlCommand("""
                ALTER TABLE customers ADD COLUMN phone text;
                DROP VIEW customer_totals;
                CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                DELETE FROM billing.invoices WHERE no = 1000;
                """, c).ExecuteNonQueryAsync();
        }
        var differences = SnapshotComparer.Compare(original, await SnapshotAsync(copy));

        Assert.Equal(
            [(SchemaObjectKind.Column, "customers.phone", SchemaChange.Added), (SchemaObjectKind.View, "customer_totals", SchemaChange.Removed),
             (SchemaObjectKind.Function, "touch()", SchemaChange.Changed), (SchemaObjectKind.RowCount, "invoices", SchemaChange.Changed)],
            differences.Select(d => (d.Kind, d.Name, d.Change)));
        Assert.Equal(("50", "49"), (differences[^1].Reference, differences[^1].Difference));
    }

    [Fact]
    public async Task An_invalid_index_left_by_a_failed_concurrent_build_shows_as_a_change()
    {
        await ExecAsync("CREATE TABLE t (v int); INSERT INTO t VALUES (1), (1);");
        var before = await SnapshotAsync();
        await Assert.ThrowsAsync<PostgresException>(() => ExecAsync("CREATE UNIQUE INDEX CONCURRENTLY t_v ON t (v)"));
        var after = await SnapshotAsync();

        var d = Assert.Single(SnapshotComparer.Compare(before, after));
        Assert.Equal((SchemaObjectKind.Index, SchemaChange.Added), (d.Kind, d.Change));
        Assert.EndsWith(" INVALID", d.Difference);
    }

    [Fact]
    public async Task A_snapshot_saved_before_policies_and_types_were_recorded_still_compares_equal()
    {
        // The snapshot beside a backup taken by an earlier release has no policies, row-level security or composite and range
        // types: a test restore of that backup now must not report them all as added.
        await ExecAsync(EveryObjectKind.Sql);
        var now = await SnapshotAsync();
        var file = Path.Combine(Dir.Path, "old.json");
        SchemaSnapshot Without(int format) => new()
        {
            Database = now.Database, TakenAt = now.TakenAt, ServerVersion = now.ServerVersion, Schemas = now.Schemas, RowCounts = now.RowCounts, Migrations = now.Migrations,
            Objects = now.Objects.Where(o => o.Kind is not (SchemaObjectKind.Policy or SchemaObjectKind.RowSecurity or SchemaObjectKind.Type)).ToList(), Format = format,
        };
        SnapshotFile.Save(Without(SchemaSnapshot.CurrentFormat), file);
        File.WriteAllLines(file, File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("\"format\"")));
        var old = SnapshotFile.Load(file);

        Assert.Equal(0, old.Format);
        Assert.Empty(SnapshotComparer.Compare(old, now));
        Assert.Contains(now.Objects, o => o is { Kind: SchemaObjectKind.Policy, Name: "invoices.positive_only" } && o.Definition == "AS RESTRICTIVE FOR SELECT TO PUBLIC USING ((amount >= (0)::numeric))");
        Assert.Contains(now.Objects, o => o is { Kind: SchemaObjectKind.Type, Name: "address" } && o.Definition == "(street text, city character varying(80))");
        Assert.Contains(now.Objects, o => o is { Kind: SchemaObjectKind.Type, Name: "nothing_yet" } && o.Definition == "()");
        Assert.Equal(5, SnapshotComparer.Compare(Without(SchemaSnapshot.CurrentFormat), now).Count); // what the format spares: the policy, the row security, 3 types

        // Format 2 recorded those, not privileges: the snapshot beside a backup taken then is not missing the grants.
        var two = new SchemaSnapshot
        {
            Database = now.Database, TakenAt = now.TakenAt, ServerVersion = now.ServerVersion, Schemas = now.Schemas, RowCounts = now.RowCounts, Migrations = now.Migrations,
            Objects = now.Objects.Where(o => o.Kind != SchemaObjectKind.Privileges).ToList(), Format = 2,
        };
        Assert.Empty(SnapshotComparer.Compare(two, now));
        Assert.Equal(4, SnapshotComparer.Compare(new SchemaSnapshot { Objects = two.Objects, RowCounts = two.RowCounts, Migrations = two.Migrations, Format = SchemaSnapshot.CurrentFormat }, now).Count); // the 3 grants and the public schema's own
    }

    [Fact]
    public void Grants_go_with_an_object_added_or_removed_and_stand_alone_beside_any_other_change_to_it()
    {
        static SchemaObject O(SchemaObjectKind kind, string name, string definition) => new() { Kind = kind, Schema = "app", Name = name, Definition = definition };
        var before = new SchemaSnapshot { Format = SchemaSnapshot.CurrentFormat, Objects = [O(SchemaObjectKind.Table, "gone", ""), O(SchemaObjectKind.Privileges, "gone", "GRANT SELECT TO PUBLIC"),
            O(SchemaObjectKind.Table, "t", ""), O(SchemaObjectKind.RowSecurity, "t", "ENABLED")] };
        var after = new SchemaSnapshot { Format = SchemaSnapshot.CurrentFormat, Objects = [O(SchemaObjectKind.Table, "t", ""), O(SchemaObjectKind.Privileges, "t", "GRANT ALL TO PUBLIC"),
            O(SchemaObjectKind.Schema, "app", ""), O(SchemaObjectKind.Privileges, "", "GRANT USAGE TO PUBLIC")] };

        Assert.Equal([(SchemaObjectKind.Schema, "app", SchemaChange.Added), (SchemaObjectKind.Table, "gone", SchemaChange.Removed),
                      (SchemaObjectKind.RowSecurity, "t", SchemaChange.Removed), (SchemaObjectKind.Privileges, "t", SchemaChange.Added)],
            SnapshotComparer.Compare(before, after).Select(d => (d.Kind, d.Name, d.Change)));
    }

    [Fact]
    public async Task A_snapshot_behind_an_ALTER_waiting_for_its_lock_fails_at_its_lock_wait_naming_the_table()
    {
        // Reading a table's definitions and rows takes ACCESS SHARE, which queues behind a waiting ALTER TABLE: the snapshot
        // (and drift's read of the live database) waited for ever, without a word.
        await ExecAsync("CREATE TABLE orders (id int PRIMARY KEY, placed date DEFAULT current_date)");
        await using (await AlterWaitingBehindReaderAsync("orders"))
        {
            var snapshot = SnapshotOperation.TakeAsync(Request(), RowCountMode.Exact, new RecordingSink(), CancellationToken.None, TimeSpan.FromMilliseconds(300));
            Assert.True(await Task.WhenAny(snapshot, Task.Delay(TimeSpan.FromSeconds(30))) == snapshot, "the snapshot queued behind the ALTER");
            var e = await Assert.ThrowsAsync<SchemaOpsException>(() => snapshot);

            Assert.Equal(ErrorCatalog.LockTimeout.Id, e.ErrorId);
            Assert.StartsWith("public.orders could not be locked for reading within 300 ms", e.Message);
            Assert.Contains("a snapshot would queue behind it", e.Message);
        }
    }

    [Fact]
    public async Task Saves_and_loads_as_json_and_a_bad_file_is_named()
    {
        await ExecAsync(EveryObjectKind.Sql);
        var snapshot = await SnapshotAsync(rows: RowCountMode.Estimated);
        var file = Path.Combine(Dir.Path, "before.json");

        SnapshotFile.Save(snapshot, file);
        var loaded = SnapshotFile.Load(file);

        Assert.Empty(SnapshotComparer.Compare(snapshot, loaded));
        Assert.Equal(snapshot.Objects.Count, loaded.Objects.Count);
        Assert.All(loaded.RowCounts, c => Assert.False(c.Exact));
        File.WriteAllText(file, "{\n  \"objects\": [ 1, ]\n}");
        var e = Assert.Throws<SchemaOpsException>(() => SnapshotFile.Load(file));
        Assert.Equal(("InvalidSnapshotFile", 2), (e.ErrorId, e.Line));
    }
}
