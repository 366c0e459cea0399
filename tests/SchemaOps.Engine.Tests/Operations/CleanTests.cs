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
    public async Task WhatIf_drops_nothing_and_lists_exactly_what_the_clean_then_drops()
    {
        WriteObjects();
        await MigrateAsync();
        var sink = new RecordingSink(whatIf: true);
        Assert.Empty(await CleanAsync(s => s with { CleanEnabled = true }, sink));
        var action = Assert.Single(sink.Questions).Action;
        Assert.True(await TableExistsAsync("t"));

        var cleaned = Assert.Single(await CleanAsync(s => s with { CleanEnabled = true }));

        Assert.Equal($"Drop every object in the schema: {string.Join(", ", cleaned.Dropped)}", action);
        Assert.Contains("table public.child", cleaned.Dropped);
        Assert.Contains("materialized view public.mv", cleaned.Dropped);
        Assert.Contains("type public.pair", cleaned.Dropped);
        Assert.Contains("procedure public.pr()", cleaned.Dropped);
        Assert.DoesNotContain(cleaned.Dropped, d => d.StartsWith("column ")); // a table's columns go with it, unlisted
    }

    [Fact]
    public async Task Refuses_when_cascade_would_reach_another_schema_and_drops_nothing()
    {
        WriteObjects();
        await MigrateAsync();
        await ExecAsync("""
            CREATE SCHEMA other;
            CREATE TABLE other.u (id int, m public.mood, p public.positive, n bigint DEFAULT nextval('public.counter'));
            CREATE VIEW other.v AS SELECT id FROM public.t;
            CREATE TABLE other.fk (id bigint REFERENCES public.t (id));
            """);
        var sink = new RecordingSink(whatIf: true);

        foreach (var s in new[] { sink, new RecordingSink() })
        {
            var e = await Assert.ThrowsAsync<SchemaOpsException>(() => CleanAsync(x => x with { CleanEnabled = true }, s));
            Assert.Equal("CleanReachesOutside", e.ErrorId);
            foreach (var casualty in new[] { "column other.u.m", "column other.u.p", "default other.u.n", "view other.v", "constraint fk_id_fkey on other.fk" })
                Assert.Contains(casualty, e.Message);
        }
        Assert.Empty(sink.Questions); // refused before anything is asked
        Assert.True(await TableExistsAsync("t"));
        Assert.True(await TableExistsAsync("other.v"));
        Assert.Equal(4L, await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'other' AND table_name = 'u'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM flyway_schema_history"));
    }

    [Theory]
    [InlineData("information_schema")]
    [InlineData("pg_catalog")]
    [InlineData("pg_toast")]
    public async Task Never_cleans_a_system_schema(string schema)
    {
        var before = await ScalarAsync<long>("SELECT count(*) FROM pg_class");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => CleanAsync(s => s with { Schemas = [schema], CleanEnabled = true }));

        Assert.Equal("CleanSystemSchema", e.ErrorId);
        Assert.Contains($"\"{schema}\"", e.Message);
        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM pg_class"));
    }

    [Fact]
    public async Task Keeps_an_extensions_objects_and_cleans_everything_else()
    {
        Dir.Write("V1__t.sql", "CREATE EXTENSION citext;\nCREATE TABLE t (id int, name citext);");
        await MigrateAsync();

        var cleaned = Assert.Single(await CleanAsync(s => s with { CleanEnabled = true }));

        Assert.Contains("table public.t", cleaned.Dropped);
        Assert.DoesNotContain(cleaned.Dropped, d => d.Contains("citext"));
        Assert.False(await TableExistsAsync("t"));
        Assert.True(await ScalarAsync<bool>("SELECT 'ABC'::citext = 'abc'")); // the extension and its objects are all there
    }

    [Fact]
    public async Task A_created_schema_holding_an_extension_keeps_the_schema_and_the_extension()
    {
        Dir.Write("V1__t.sql", "CREATE EXTENSION citext SCHEMA app;\nCREATE TABLE t (id int, name app.citext);");
        await MigrateAsync(s => s with { Schemas = ["app"] });

        var cleaned = Assert.Single(await CleanAsync(s => s with { Schemas = ["app"], CleanEnabled = true }));

        Assert.False(cleaned.SchemaDropped);
        Assert.False(await TableExistsAsync("app.t"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM pg_extension WHERE extname = 'citext'"));
    }
}
