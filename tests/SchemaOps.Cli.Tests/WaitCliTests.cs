using System.Text.Json;
using SchemaOps.Engine.Tests;

namespace SchemaOps.Cli.Tests;

/// <summary>`schemaops wait` and `--connect-retries` as CI uses them: the server comes up after the command started.</summary>
[Collection(PostgresCollection.Name)]
public class WaitCliTests(PostgresFixture pg) : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private string _db = "";

    public async Task InitializeAsync() => _db = await pg.Server.CreateDatabaseAsync();
    public Task DisposeAsync() => Task.CompletedTask;
    public void Dispose() => _dir.Dispose();

    private Task<CliProcess.Result> Run(LateServer late, params string[] args) =>
        CliProcess.RunAsync(args, new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = $"postgres://postgres:{Uri.EscapeDataString(pg.Server.Password)}@127.0.0.1:{late.Port}/{_db}?sslmode=disable",
        });

    [Fact]
    public async Task Wait_exits_0_with_json_once_the_server_accepts()
    {
        await using var late = new LateServer(pg.Server.Port);
        late.RefuseThenOpen(TimeSpan.FromSeconds(1.5), refusals: 3); // however late the process starts: a timer alone failed under CI load

        var r = await Run(late, "wait", "--timeout", "60s", "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        var ready = Assert.Single(JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().ToList());
        Assert.Equal($"postgres@127.0.0.1:{late.Port}/{_db}", ready.GetProperty("database").GetString());
        Assert.True(ready.GetProperty("attempts").GetInt32() > 3);
        Assert.True(ready.GetProperty("waitedSeconds").GetDouble() >= 0.25); // at least three pauses (100, 200, ... ms) between tries
        Assert.False(ready.GetProperty("inRecovery").GetBoolean());
        Assert.StartsWith("15", ready.GetProperty("serverVersion").GetString());
    }

    [Fact]
    public async Task Wait_exits_4_with_DatabaseNotReady_when_the_timeout_passes()
    {
        await using var nobody = new LateServer(pg.Server.Port);

        var r = await Run(nobody, "wait", "--timeout", "1s");

        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains("[DatabaseNotReady]", r.Stderr);
        Assert.Contains($"127.0.0.1:{nobody.Port}", r.Stderr);
        Assert.DoesNotContain(pg.Server.Password, r.Stderr + r.Stdout);
        Assert.Equal(2, (await Run(nobody, "wait", "--timeout", "soon")).ExitCode);
    }

    [Fact]
    public async Task Migrate_with_connect_retries_applies_once_the_server_is_up_and_without_them_exits_4()
    {
        _dir.Write("V1__t.sql", "CREATE TABLE t (id int);");
        await using var late = new LateServer(pg.Server.Port);

        var refused = await Run(late, "migrate", "--path", _dir.Path);
        Assert.True(refused.ExitCode == 4, refused.ToString());

        late.RefuseThenOpen(TimeSpan.FromSeconds(1.5), refusals: 1);
        var r = await Run(late, "migrate", "--path", _dir.Path, "--connect-retries", "5", "--verbose");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("; try 2 in 1 s", r.Stderr);
        Assert.Equal(1L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"));
        Assert.Equal(2, (await Run(late, "info", "--connect-retries", "some")).ExitCode);
    }
}
