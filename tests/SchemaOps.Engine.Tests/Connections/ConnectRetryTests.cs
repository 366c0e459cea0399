using System.Diagnostics;
using Npgsql;
using SchemaOps.Engine.Configuration;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Diagnostics;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Connections;

/// <summary>Flyway's connectRetries and `wait`, against a real server that starts accepting after the command began.</summary>
public class ConnectRetryTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private string UrlThrough(LateServer late, string? password = null) =>
        $"postgres://postgres:{Uri.EscapeDataString(password ?? _pg.Server.Password)}@127.0.0.1:{late.Port}/{new NpgsqlConnectionStringBuilder(ConnectionString).Database}?sslmode=disable";

    [Fact]
    public async Task Migrate_with_connect_retries_waits_for_a_server_that_comes_up_after_it_started()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (id int);");
        await using var late = new LateServer(_pg.Server.Port);
        var target = ConnectionTarget.Parse(UrlThrough(late)).WithConnectRetries(ConnectRetryPolicy.Flyway(5, TimeSpan.FromSeconds(1)));
        var sink = new RecordingSink();
        late.OpenAfter(TimeSpan.FromSeconds(1.5));

        var results = await MigrateOperation.MigrateAsync(new MigrationRequest(target, new MigrationSettings { Locations = [Dir.Path] }), sink, CancellationToken.None);

        Assert.Equal(["1"], results.Select(r => r.Version?.ToString()));
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*)::int FROM flyway_schema_history WHERE version = '1' AND success"));
        var retries = sink.Verbose.Where(v => v.Contains("; try ")).ToList();
        Assert.NotEmpty(retries); // each retry is said, with the reason
        Assert.All(retries, r => Assert.Contains($"127.0.0.1:{late.Port}", r));
        Assert.DoesNotContain(sink.Verbose, v => v.Contains(_pg.Server.Password));
    }

    // The server is dialled while the folders are read: a script that cannot be read is still the error, and the
    // connect retries stop with it (Timeout: without that, the call would wait out 100 tries).
    [Fact(Timeout = 60_000)]
    public async Task A_bad_script_is_the_error_while_the_server_is_waited_for_and_the_waiting_stops()
    {
        Dir.Write("V1__t.sql", "CREATE TABLE t (id int);");
        Dir.Write("V1.x__bad.sql", "SELECT 1;");
        await using var nobody = new LateServer(_pg.Server.Port); // never opened
        var target = ConnectionTarget.Parse(UrlThrough(nobody)).WithConnectRetries(ConnectRetryPolicy.Flyway(100, TimeSpan.FromSeconds(1)));
        var sink = new RecordingSink();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => InfoOperation.InfoAsync(
            new MigrationRequest(target, new MigrationSettings { Locations = [Dir.Path] }), sink, CancellationToken.None));

        Assert.Equal("InvalidMigrationName", e.ErrorId);
        var said = sink.Verbose.Count;
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // more than two retry pauses
        Assert.Equal(said, sink.Verbose.Count); // no try after the error
    }

    [Fact]
    public async Task Without_retries_a_refused_connection_fails_at_once_and_with_them_it_says_how_long_it_tried()
    {
        await using var nobody = new LateServer(_pg.Server.Port); // never opened
        var once = await Assert.ThrowsAsync<SchemaOpsException>(() => InfoOperation.InfoAsync(
            new MigrationRequest(ConnectionTarget.Parse(UrlThrough(nobody)), new MigrationSettings { Locations = [Dir.Path] }), new RecordingSink(), CancellationToken.None));
        Assert.Equal("ConnectionFailed", once.ErrorId);
        Assert.DoesNotContain("gave up", once.Message);

        var target = ConnectionTarget.Parse(UrlThrough(nobody)).WithConnectRetries(ConnectRetryPolicy.Flyway(2, TimeSpan.FromMilliseconds(200)));
        var sink = new RecordingSink();
        var twice = await Assert.ThrowsAsync<SchemaOpsException>(() => InfoOperation.InfoAsync(
            new MigrationRequest(target, new MigrationSettings { Locations = [Dir.Path] }), sink, CancellationToken.None));
        Assert.Equal("ConnectionFailed", twice.ErrorId);
        Assert.Contains("gave up after 3 tries", twice.Message);
        // Two pauses, each capped at the 200 ms interval (said, not timed: a timer may fire a millisecond early).
        Assert.Equal(["try 2 in 0.2 s", "try 3 in 0.2 s"], sink.Verbose.Where(v => v.Contains("; try ")).Select(v => v[(v.LastIndexOf("; ", StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public async Task A_wrong_password_is_not_retried()
    {
        var url = $"postgres://postgres:wrong@127.0.0.1:{_pg.Server.Port}/postgres?sslmode=disable";
        var target = ConnectionTarget.Parse(url).WithConnectRetries(ConnectRetryPolicy.Flyway(5, TimeSpan.FromSeconds(30)));
        var sink = new RecordingSink();
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => WaitOperation.WaitAsync(target, TimeSpan.FromSeconds(30), sink, CancellationToken.None));
        Assert.Equal("AuthenticationFailed", e.ErrorId);
        Assert.DoesNotContain(sink.Verbose, v => v.Contains("; try "));
        Assert.DoesNotContain("wrong", e.Message);
    }

    [Fact]
    public async Task Wait_returns_once_the_server_accepts_and_says_how_long_it_took()
    {
        await using var late = new LateServer(_pg.Server.Port);
        late.OpenAfter(TimeSpan.FromSeconds(1));
        var sink = new RecordingSink();

        var ready = await WaitOperation.WaitAsync(ConnectionTarget.Parse(UrlThrough(late)), TimeSpan.FromSeconds(30), sink, CancellationToken.None);

        Assert.True(ready.Attempts > 1, $"{ready.Attempts} tries");
        Assert.InRange(ready.WaitedSeconds, 0.9, 29);
        Assert.False(ready.InRecovery);
        Assert.StartsWith("15", ready.ServerVersion);
        Assert.Equal($"postgres@127.0.0.1:{late.Port}/{new NpgsqlConnectionStringBuilder(ConnectionString).Database}", ready.Database);
        Assert.Same(ready, Assert.Single(sink.Objects));
    }

    [Fact]
    public async Task Wait_fails_with_DatabaseNotReady_when_the_timeout_passes_first()
    {
        await using var nobody = new LateServer(_pg.Server.Port);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() =>
            WaitOperation.WaitAsync(ConnectionTarget.Parse(UrlThrough(nobody)), TimeSpan.FromSeconds(1.5), new RecordingSink(), CancellationToken.None));
        Assert.Equal("DatabaseNotReady", e.ErrorId);
        Assert.Equal(SchemaOpsErrorCategory.ConnectionError, e.Category);
        Assert.Contains($"127.0.0.1:{nobody.Port}", e.Message);
        Assert.Contains("within 1.5 s", e.Message);
        Assert.Contains("last:", e.Message); // why the last try failed
        Assert.DoesNotContain(_pg.Server.Password, e.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 10);

        var zero = await Assert.ThrowsAsync<SchemaOpsException>(() => WaitOperation.WaitAsync(ConnectionTarget.Parse(UrlThrough(nobody)), TimeSpan.Zero, new RecordingSink(), CancellationToken.None));
        Assert.Equal("InvalidTimeout", zero.ErrorId);
    }

    [Fact]
    public async Task Cancelling_a_wait_stops_it_as_canceled()
    {
        await using var nobody = new LateServer(_pg.Server.Port);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => WaitOperation.WaitAsync(ConnectionTarget.Parse(UrlThrough(nobody)), TimeSpan.FromMinutes(1), new RecordingSink(), cts.Token));
        Assert.True(e is OperationCanceledException or SchemaOpsException { ErrorId: "OperationCanceled" }, e.ToString());
    }
}

/// <summary>connectRetries and connectRetriesInterval from every place Flyway users put them.</summary>
public class ConnectRetrySettingsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConnectRetryPolicy Resolve(string? file = null, string? content = null, Dictionary<string, string>? variables = null, int? parameter = null)
    {
        if (file is not null) _dir.Write(file, content!);
        return ConfigResolver.Resolve(new ConfigRequest
        {
            Parameters = new ConfigValues { Url = "postgres://u@h/d", ConnectRetries = parameter },
            WorkingDirectory = _dir.Path,
            Variables = new EnvironmentVariables(variables ?? []),
        }).Target.ConnectRetries;
    }

    [Fact]
    public void Defaults_are_Flyways_no_retry_and_a_120_second_cap()
    {
        var none = Resolve();
        Assert.Equal(0, none.Retries);
        Assert.Equal(TimeSpan.FromSeconds(120), none.MaxPause);
        Assert.Equal([1, 2, 4, 8, 8], new[] { 1, 2, 3, 4, 5 }.Select(r => ConnectRetryPolicy.Flyway(5, TimeSpan.FromSeconds(8)).PauseBefore(r).TotalSeconds));
    }

    [Theory]
    [InlineData("flyway.toml", "[environments.default]\nurl = \"jdbc:postgresql://h/d\"\nconnectRetries = 10\nconnectRetriesInterval = 30\n")]
    [InlineData("flyway.conf", "flyway.connectRetries=10\nflyway.connectRetriesInterval=30\n")]
    [InlineData("schemaops.json", "{ \"connectRetries\": 10, \"connectRetriesInterval\": \"30s\" }")]
    public void Config_files_set_them(string file, string content)
    {
        var policy = Resolve(file, content);
        Assert.Equal((10, TimeSpan.FromSeconds(30)), (policy.Retries, policy.MaxPause));
    }

    [Fact]
    public void Flyway_variables_set_them_and_a_parameter_beats_both()
    {
        var variables = new Dictionary<string, string> { ["FLYWAY_CONNECT_RETRIES"] = "7", ["FLYWAY_CONNECT_RETRIES_INTERVAL"] = "15" };
        Assert.Equal((7, TimeSpan.FromSeconds(15)), (Resolve(variables: variables).Retries, Resolve(variables: variables).MaxPause));
        Assert.Equal(3, Resolve("flyway.conf", "flyway.connectRetries=10\n", variables, parameter: 3).Retries);
    }

    [Fact]
    public void A_bad_value_names_its_file_line_and_key()
    {
        var e = Assert.Throws<SchemaOpsException>(() => Resolve("flyway.conf", "flyway.url=jdbc:postgresql://h/d\nflyway.connectRetries=many\n"));
        Assert.Contains("flyway.conf:2", e.Message);
        Assert.Contains("connectRetries", e.Message);
        var variable = Assert.Throws<SchemaOpsException>(() => Resolve(variables: new() { ["FLYWAY_CONNECT_RETRIES"] = "-1" }));
        Assert.Equal("InvalidEnvironmentVariable", variable.ErrorId);
    }
}
