using System.Runtime.InteropServices;
using System.Text.Json;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Cli.Tests;

/// <summary>`schemaops ephemeral`: a throwaway server for the length of a command or until Ctrl+C, and nothing left after either.</summary>
public class EphemeralCliTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static JsonElement Description(string json) => JsonDocument.Parse(json).RootElement[0];

    private static void AssertRemoved(JsonElement server)
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(server.GetProperty("dataDirectory").GetString())));
        Assert.False(File.Exists($"/proc/{server.GetProperty("processId").GetInt32()}/stat"));
    }

    [Fact]
    public async Task A_command_runs_against_the_server_with_libpq_variables_and_its_exit_code_is_returned()
    {
        var psql = PostgresInstallation.Find().Tool("psql");
        var run = await CliProcess.RunAsync(["ephemeral", "--database", "app", "--json", "--",
            "sh", "-c", $"\"{psql}\" -Atc 'SELECT current_database()' && env && echo \"pass: $(cut -d: -f5 \"$PGPASSFILE\")\" && exit 7"]);
        Assert.True(run.ExitCode == 7, run.ToString());                  // the command's exit code
        var server = Description(run.Stderr);                             // ours on stderr: stdout is the command's
        Assert.StartsWith("app\n", run.Stdout);                           // psql found the server through PGHOST/PGPORT/PGPASSFILE
        Assert.Contains($"DATABASE_URL=postgres://postgres@127.0.0.1:{server.GetProperty("port").GetInt32()}/app?sslmode=disable", run.Stdout);
        var password = run.Stdout.Split('\n').Single(l => l.StartsWith("pass: "))["pass: ".Length..];
        Assert.True(password.Length >= 16);
        Assert.Single(run.Stdout.Split('\n'), l => l.Contains(password)); // only where the command read the passfile itself
        Assert.DoesNotContain(password, run.Stderr);
        AssertRemoved(server);
    }

    [Fact]
    public async Task The_callers_libpq_and_flyway_variables_do_not_reach_the_command()
    {
        var psql = PostgresInstallation.Find().Tool("psql");
        var caller = new Dictionary<string, string?>
        {
            ["PGSSLMODE"] = "verify-full", ["PGOPTIONS"] = "-c search_path=nowhere", ["PGSERVICE"] = "no-such-service", ["PGCONNECT_TIMEOUT"] = "1",
            ["PGPASSWORD"] = "stale", ["FLYWAY_URL"] = "jdbc:postgresql://production.example.com/app", ["FLYWAY_PASSWORD"] = "prod-secret",
        };
        var run = await CliProcess.RunAsync(["ephemeral", "--json", "--", "sh", "-c", $"\"{psql}\" -Atc 'SHOW search_path' && env"], caller);

        Assert.True(run.ExitCode == 0, run.ToString()); // psql reached the throwaway server despite the caller's PGSSLMODE and PGSERVICE
        Assert.StartsWith("\"$user\", public\n", run.Stdout);
        foreach (var name in new[] { "PGSSLMODE", "PGOPTIONS", "PGSERVICE", "PGCONNECT_TIMEOUT", "PGPASSWORD", "FLYWAY_URL", "FLYWAY_PASSWORD" })
            Assert.DoesNotContain($"\n{name}=", "\n" + run.Stdout);
        AssertRemoved(Description(run.Stderr));
    }

    [Fact]
    public async Task Without_a_command_it_serves_until_Ctrl_C_then_removes_everything()
    {
        using var runner = CliProcess.Start(["ephemeral", "--json"]);
        var stderr = runner.StandardError.ReadToEndAsync();
        var json = "";
        while (!json.TrimEnd().EndsWith(']')) json += await runner.StandardOutput.ReadLineAsync() + "\n";
        var server = Description(json);
        await using (var conn = new Npgsql.NpgsqlConnection(server.GetProperty("connectionString").GetString()))
        {
            await conn.OpenAsync(); // serving: the description is only printed once it accepts connections
        }
        Assert.Equal(0, kill(runner.Id, 2)); // SIGINT, as Ctrl+C sends: the way this mode ends
        Assert.True(runner.WaitForExit(30_000));
        Assert.True(runner.ExitCode == 0, await stderr);
        AssertRemoved(server);
    }

    [Fact]
    public async Task Bad_input_is_a_usage_error_and_leaves_no_server()
    {
        Assert.Equal(2, (await CliProcess.RunAsync(["ephemeral", "stray-argument"])).ExitCode);
        Assert.Equal(2, (await CliProcess.RunAsync(["ephemeral", "--database", new string('d', 64)])).ExitCode);
        var missing = await CliProcess.RunAsync(["ephemeral", "--json", "--", "/nonexistent/command"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("/nonexistent/command", missing.Stderr);
        AssertRemoved(Description(missing.Stderr[..(missing.Stderr.IndexOf(']') + 1)]));
    }

    [Fact]
    public async Task Options_after_the_double_dash_belong_to_the_command()
    {
        var run = await CliProcess.RunAsync(["ephemeral", "--", "sh", "-c", "echo ran with $0", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("ran with --json\n", run.Stdout);
        Assert.StartsWith("throwaway PostgreSQL", run.Stderr); // not JSON: --json was the command's
    }
}
