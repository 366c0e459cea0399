using System.Diagnostics;

namespace SchemaOps.Engine.Tests;

/// <summary>PostgreSQL's own client tools against the test server: the judges of what the engine did.</summary>
public static class PgTools
{
    /// <summary>
    /// The schema as pg_dump --schema-only sees it, without the excluded tables, pg_dump's comments and its
    /// \restrict lines (which carry a random key per run).
    /// </summary>
    public static async Task<string> SchemaAsync(PostgresFixture pg, string database, params string[] excludeTables)
    {
        var output = await RunAsync(pg, "pg_dump", ["--schema-only", "--no-owner", "--no-privileges", .. excludeTables.SelectMany(t => new[] { "-T", t }), database]);
        return string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("--") && !l.StartsWith("\\restrict") && !l.StartsWith("\\unrestrict") && l.Trim().Length > 0));
    }

    /// <summary>Runs a script file the way an engineer would: psql -v ON_ERROR_STOP=1 -f FILE.</summary>
    public static Task<string> PsqlFileAsync(PostgresFixture pg, string database, string file) =>
        RunAsync(pg, "psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", file]);

    /// <summary>pg_dump's plain output (COPY ... FROM stdin blocks and all), as a data migration would hold it.</summary>
    public static Task<string> DumpAsync(PostgresFixture pg, string database, params string[] args) => RunAsync(pg, "pg_dump", [.. args, database]);

    /// <summary>pg_dump -Fc of one database restored into another with pg_restore: the reference round trip.</summary>
    public static async Task DumpAndRestoreAsync(PostgresFixture pg, string from, string to)
    {
        var file = Path.Combine(Path.GetTempPath(), $"schemaops-dump-{Guid.NewGuid():N}.dump");
        try
        {
            await RunAsync(pg, "pg_dump", ["-Fc", "-f", file, from]);
            await RunAsync(pg, "pg_restore", ["-d", to, file]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> RunAsync(PostgresFixture pg, string tool, string[] args)
    {
        var start = new ProcessStartInfo(pg.Server.Installation.Tool(tool))
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["PGPASSWORD"] = pg.Server.Password, ["PGHOST"] = "127.0.0.1", ["PGPORT"] = pg.Server.Port.ToString(), ["PGUSER"] = "postgres" },
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {errors}");
        return await output;
    }
}
