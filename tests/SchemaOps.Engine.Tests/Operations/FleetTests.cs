using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

public class FleetTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    [Fact]
    public async Task Twenty_databases_with_one_broken_nineteen_succeed_and_the_broken_one_reports_its_error()
    {
        Dir.Write("V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);");
        Dir.Write("V2__lines.sql", "CREATE TABLE lines (order_id int REFERENCES orders);");
        var databases = new List<string>();
        for (var i = 0; i < 20; i++) databases.Add(await _pg.NewDatabaseAsync());
        // The broken one: a table of that name already exists, outside any history (baseline-on-migrate lets it start).
        await using (var conn = new Npgsql.NpgsqlConnection(databases[7]))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("CREATE TABLE lines (x int)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var settings = new MigrationSettings { Locations = [Dir.Path], BaselineOnMigrate = true, BaselineVersion = "0" };
        var sink = new RecordingSink();

        var results = await FleetOperation.MigrateAllAsync(databases.Select(d => new MigrationRequest(ConnectionTarget.Parse(d), settings)).ToList(), 4, sink, CancellationToken.None);

        Assert.Equal(20, results.Count);
        Assert.Equal(19, results.Count(r => r.Succeeded));
        var broken = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal(ConnectionTarget.Parse(databases[7]).Display, broken.Database);
        Assert.Equal("MigrationFailed", broken.ErrorId);
        Assert.Contains("V2__lines.sql:1", broken.Error);
        Assert.All(results.Where(r => r.Succeeded), r => Assert.Equal(["1", "2"], r.Versions));
        Assert.Equal(results, sink.Of<FleetResult>()); // emitted once each, in the order given
        Assert.Contains(sink.Verbose, v => v.StartsWith(ConnectionTarget.Parse(databases[0]).Display + ": "));
    }

    [Fact]
    public async Task What_if_asks_once_per_target_and_changes_nothing()
    {
        Dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var sink = new RecordingSink(whatIf: true);

        var results = await FleetOperation.MigrateAllAsync([Request(), Request()], 2, sink, CancellationToken.None);

        Assert.Empty(results);
        Assert.Equal(2, sink.Questions.Count);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
    }

    [Fact]
    public async Task A_throttle_below_one_is_refused() =>
        Assert.Equal("InvalidThrottleLimit", (await Assert.ThrowsAsync<SchemaOpsException>(() =>
            FleetOperation.MigrateAllAsync([Request()], 0, new RecordingSink(), CancellationToken.None))).ErrorId);

    [Theory]
    [InlineData(1, false, false, false)]
    [InlineData(2, false, false, true)]
    [InlineData(1, true, false, true)]
    [InlineData(1, false, true, true)]
    public void A_fleet_is_several_databases_a_targets_list_or_a_throttle_limit(int databases, bool targetsList, bool throttleLimit, bool fleet) =>
        Assert.Equal(fleet, FleetOperation.IsFleet(databases, targetsList, throttleLimit, dryRun: false));

    [Fact]
    public void A_dry_run_takes_one_database()
    {
        Assert.False(FleetOperation.IsFleet(1, false, false, dryRun: true));
        Assert.Equal("FleetDryRun", Assert.Throws<SchemaOpsException>(() => FleetOperation.IsFleet(2, false, false, dryRun: true)).ErrorId);
        Assert.Equal("FleetDryRun", Assert.Throws<SchemaOpsException>(() => FleetOperation.IsFleet(1, false, true, dryRun: true)).ErrorId);
    }
}
