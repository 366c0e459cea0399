using Npgsql;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>
/// A generated set of 300 migrations in each layout: apply all, undo all, and the catalog (pg_dump's
/// schema-only dump, history tables left out) is the empty start again; apply again, and it is what the first apply made.
/// </summary>
public class RoundTripTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    [Theory]
    [InlineData(MigrationLayout.Flyway)]
    [InlineData(MigrationLayout.Dbmate)]
    [InlineData(MigrationLayout.GolangMigrate)]
    public async Task Apply_undo_all_and_reapply_300_migrations_restores_the_catalog_exactly(MigrationLayout layout)
    {
        GeneratedMigrations.Write(Dir, layout, 300);
        var empty = await CatalogAsync();

        Assert.Equal(300, (await MigrateAsync()).Count);
        var applied = await CatalogAsync();
        Assert.Contains("CREATE TABLE public.t0", applied);
        Assert.Contains("CREATE INDEX t290_created", applied);

        var undone = await UndoOperation.UndoAsync(Request(), new UndoScope(All: true), new RecordingSink(), CancellationToken.None);
        Assert.Equal(300, undone.Count);
        Assert.Equal(empty, await CatalogAsync());

        Assert.Equal(300, (await MigrateAsync()).Count);
        Assert.Equal(applied, await CatalogAsync());
    }

    private Task<string> CatalogAsync() =>
        PgTools.SchemaAsync(_pg, new NpgsqlConnectionStringBuilder(ConnectionString).Database!, "flyway_schema_history", "schema_migrations*");
}

/// <summary>Migration sets with a bit of everything a catalog holds, each with an exact reverse, in any layout.</summary>
public static class GeneratedMigrations
{
    public static void Write(TempDir dir, MigrationLayout layout, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (description, up, down) = Migration(i);
            var noTransaction = up.Contains("CONCURRENTLY");
            var version = layout == MigrationLayout.Flyway ? (i + 1).ToString() : (20240101000000L + i).ToString();
            var name = description.Replace(' ', '_');
            switch (layout)
            {
                case MigrationLayout.Flyway:
                    dir.Write($"V{version}__{name}.sql", up);
                    dir.Write($"U{version}__{name}.sql", down);
                    break;
                case MigrationLayout.Dbmate:
                    var option = noTransaction ? " transaction:false" : "";
                    dir.Write($"{version}_{name}.sql", $"-- migrate:up{option}\n{up}\n-- migrate:down{option}\n{down}\n");
                    break;
                default:
                    dir.Write($"{version}_{name}.up.sql", up);
                    dir.Write($"{version}_{name}.down.sql", down);
                    break;
            }
        }
    }

    // Every tenth migration starts a table; the nine after it change that table or add objects around it.
    private static (string Description, string Up, string Down) Migration(int i)
    {
        var t = $"t{i - i % 10}";
        return (i % 10) switch
        {
            0 => ($"create {t}", $"CREATE TABLE {t} (id bigserial PRIMARY KEY, name text NOT NULL DEFAULT '', created timestamptz DEFAULT now());", $"DROP TABLE {t};"),
            1 => ($"add {t} extra", $"ALTER TABLE {t} ADD COLUMN extra integer CHECK (extra > 0);", $"ALTER TABLE {t} DROP COLUMN extra;"),
            2 => ($"index {t} name", $"CREATE INDEX {t}_name ON {t} (name);", $"DROP INDEX {t}_name;"),
            3 => ($"enum e{i}", $"CREATE TYPE e{i} AS ENUM ('draft', 'done');", $"DROP TYPE e{i};"),
            4 => ($"function f{i}", $"CREATE FUNCTION f{i}(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + {i} $$;", $"DROP FUNCTION f{i}(integer);"),
            5 => ($"view v{i}", $"CREATE VIEW v{i} AS SELECT id, name FROM {t} WHERE name <> '';", $"DROP VIEW v{i};"),
            6 => ($"comment {t}", $"COMMENT ON TABLE {t} IS 'table {t}';", $"COMMENT ON TABLE {t} IS NULL;"),
            7 => ($"sequence s{i}", $"CREATE SEQUENCE s{i} START 100;", $"DROP SEQUENCE s{i};"),
            8 => ($"child c{i}", $"CREATE TABLE c{i} (id bigint PRIMARY KEY REFERENCES {t} (id) ON DELETE CASCADE, note varchar(40));", $"DROP TABLE c{i};"),
            _ => ($"index {t} created", $"CREATE INDEX CONCURRENTLY {t}_created ON {t} (created);", $"DROP INDEX CONCURRENTLY {t}_created;"),
        };
    }
}
