using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Operations;

public class PlaceholderTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static Func<MigrationSettings, MigrationSettings> With(params (string Name, string Value)[] values) =>
        s => s with { Placeholders = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.OrdinalIgnoreCase) };

    [Fact]
    public async Task Values_and_flyways_built_ins_are_replaced_and_versioned_checksums_stay_raw()
    {
        const string raw = "CREATE TABLE ${Prefix}_users (id int);\nCOMMENT ON TABLE ${prefix}_users IS '${flyway:defaultSchema} ${flyway:filename} ${flyway:table} ${flyway:user}';";
        Dir.Write("V1__users.sql", raw);

        var applied = await MigrateAsync(With(("PREFIX", "shop")));

        Assert.True(await TableExistsAsync("shop_users"));
        Assert.Equal("public V1__users.sql flyway_schema_history postgres", await ScalarAsync<string>("SELECT obj_description('shop_users'::regclass)"));
        Assert.Equal(FlywayChecksum.Compute(raw), applied[0].Checksum);
        Assert.All(await ValidateAsync(With(("prefix", "other"))), r => Assert.True(r.Passed, r.Detail)); // versioned: raw text decides
    }

    [Fact]
    public async Task A_missing_value_names_file_and_line_applies_nothing_and_info_still_works()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Dir.Write("V2__b.sql", "CREATE TABLE b (id int);\nGRANT SELECT ON b TO ${reader_role};");

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());

        Assert.Equal("MissingPlaceholder", e.ErrorId);
        Assert.Contains("V2__b.sql:2: no value for the placeholder ${reader_role}", e.Message);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
        Assert.Equal(2, (await InfoAsync()).Count);
    }

    [Fact]
    public async Task Replacement_can_be_turned_off_per_script_or_for_all()
    {
        Dir.Write("V1__template.sql", "CREATE TABLE t (body text DEFAULT 'Hello ${name}');");
        Dir.Write("V1__template.sql.conf", "placeholderReplacement=false");
        Dir.Write("V2__other.sql", "CREATE TABLE u (body text DEFAULT '${x}');");

        await MigrateAsync(s => s with { PlaceholderReplacement = false });

        Assert.Equal("'Hello ${name}'::text", await ScalarAsync<string>("SELECT column_default FROM information_schema.columns WHERE table_name = 't'"));
        Assert.Equal("'${x}'::text", await ScalarAsync<string>("SELECT column_default FROM information_schema.columns WHERE table_name = 'u'"));
    }

    [Fact]
    public async Task A_repeatable_is_checksummed_after_replacement_so_a_new_value_reapplies_it_and_the_raw_checksum_is_accepted()
    {
        const string raw = "CREATE OR REPLACE VIEW v AS SELECT '${greeting}'::text AS g;";
        Dir.Write("R__v.sql", raw);

        var first = await MigrateAsync(With(("greeting", "hi")));
        Assert.Equal(FlywayChecksum.Compute(raw.Replace("${greeting}", "hi")), first[0].Checksum);
        Assert.Empty(await MigrateAsync(With(("greeting", "hi"))));

        Assert.Single(await MigrateAsync(With(("greeting", "hello"))));
        Assert.Equal("hello", await ScalarAsync<string>("SELECT g FROM v"));

        // A history written by a tool that checksums the raw text (Flyway before replacement) counts as up to date.
        await ExecAsync($"UPDATE flyway_schema_history SET checksum = {FlywayChecksum.Compute(raw)}");
        Assert.Contains(await InfoAsync(With(("greeting", "other"))), i => i.State == MigrationState.Success && i.Kind == MigrationKind.Repeatable);
    }

    [Fact]
    public async Task The_dry_run_writes_the_replaced_text()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE ${t} (id int);");
        var file = Path.Combine(Path.GetTempPath(), $"schemaops-ph-{Guid.NewGuid():N}.sql");

        await MigrateOperation.DryRunAsync(Request(With(("t", "orders"))), file, new RecordingSink(), CancellationToken.None);

        var text = await File.ReadAllTextAsync(file);
        File.Delete(file);
        Assert.Contains("CREATE TABLE orders (id int);", text);
    }
}
