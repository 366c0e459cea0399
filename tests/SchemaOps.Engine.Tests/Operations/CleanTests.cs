using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

public class CleanTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private Task<IReadOnlyList<CleanedSchema>> CleanAsync(Func<MigrationSettings, MigrationSettings>? tweak = null, RecordingSink? sink = null) =>
        CleanOperation.CleanAsync(Request(tweak), sink ?? new RecordingSink(), CancellationToken.None);

    private void WriteObjects()
    {
        Dir.Write("V1__everything.sql", """
            CREATE TYPE mood AS ENUM ('ok', 'sad');
            CREATE DOMAIN positive AS int CHECK (VALUE > 0);
            CREATE TYPE pair AS (a int, b int);
            CREATE SEQUENCE counter;
            CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood, p positive);
            CREATE TABLE child (id int REFERENCES t (id));
            CREATE VIEW v AS SELECT id FROM t;
            CREATE MATERIALIZED VIEW mv AS SELECT count(*) FROM t;
            CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
            CREATE PROCEDURE pr() LANGUAGE sql AS 'SELECT 1';
            """);
    }

    [Fact]
    public async Task Is_disabled_unless_enabled_and_refused_in_production()
    {
        WriteObjects();
        await MigrateAsync();
        Assert.Equal("CleanDisabled", (await Assert.ThrowsAsync<SchemaOpsException>(() => CleanAsync())).ErrorId);
        Assert.Equal("CleanRefusedInProduction",
            (await Assert.ThrowsAsync<SchemaOpsException>(() => CleanAsync(s => s with { CleanEnabled = true, Environment = "live", Production = true }))).ErrorId);
        Assert.True(await TableExistsAsync("t"));
    }

    [Fact]
    public async Task Drops_every_object_but_keeps_a_schema_it_did_not_create_and_the_set_applies_again()
    {
        WriteObjects();
        await MigrateAsync();

        var cleaned = Assert.Single(await CleanAsync(s => s with { CleanEnabled = true }));

        Assert.Equal(("public", false), (cleaned.Schema, cleaned.SchemaDropped));
        Assert.True(cleaned.ObjectsDropped >= 10);
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public')
                 + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public')
                 + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0)
            """));
        Assert.True(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public')"));
        Assert.Single(await MigrateAsync()); // from scratch again
    }

    [Fact]
    public async Task Drops_a_schema_that_the_history_records_creating()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (id int);");
        await MigrateAsync(s => s with { Schemas = ["app"] });
        var cleaned = Assert.Single(await CleanAsync(s => s with { Schemas = ["app"], CleanEnabled = true }));
        Assert.True(cleaned.SchemaDropped);
        Assert.False(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'app')"));
    }

    [Fact]
    public async Task WhatIf_drops_nothing()
    {
        WriteObjects();
        await MigrateAsync();
        var sink = new RecordingSink(whatIf: true);
        Assert.Empty(await CleanAsync(s => s with { CleanEnabled = true }, sink));
        Assert.Equal("Drop every object in the schema", Assert.Single(sink.Questions).Action);
        Assert.True(await TableExistsAsync("t"));
    }
}
