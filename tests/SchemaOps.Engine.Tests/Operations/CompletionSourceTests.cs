using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Operations;

/// <summary>What the module's tab completers offer, computed by the engine.</summary>
public class CompletionSourceTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    [Fact]
    public void Versions_come_from_file_names_alone_in_version_order()
    {
        Dir.Write("V1_10__b.sql", "SELECT 1;");
        Dir.Write("sub/V1_9__a.sql", "SELECT 1;");
        Dir.Write("V2.x__broken.sql", "SELECT 1;");                         // malformed: passed over, no error
        Dir.WriteBytes("V3__binary.sql", [0xC3, 0x28]);                     // invalid UTF-8: never read
        Dir.Write("U1_10__b.sql", "SELECT 1;");
        Dir.Write("R__view.sql", "SELECT 1;");

        Assert.Equal(["1.9", "1.10", "3"], FlywayLayout.Versions([Dir.Path, "/nonexistent/schemaops"]));
    }

    [Fact]
    public void Every_ignore_pattern_is_offered_and_parses()
    {
        var all = IgnorePattern.All.ToList();
        Assert.Equal(15, all.Count);
        Assert.All(all, p => IgnorePattern.Parse(p));
        Assert.Contains("*:future", all);
    }

    [Fact]
    public async Task Schemas_are_listed_and_an_unreachable_server_gives_none_quickly()
    {
        await ExecAsync("CREATE SCHEMA billing");
        var schemas = await SchemaListing.ListAsync(ConnectionTarget.Parse(ConnectionString), TimeSpan.FromSeconds(5), default);
        Assert.Equal(["billing", "public"], schemas);

        Assert.Empty(await SchemaListing.ListAsync(ConnectionTarget.Parse("Host=127.0.0.1;Port=1;Username=x;Timeout=1"), TimeSpan.FromSeconds(2), default));
    }
}
