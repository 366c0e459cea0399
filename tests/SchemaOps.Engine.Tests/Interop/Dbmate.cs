using System.Diagnostics;

namespace SchemaOps.Engine.Tests.Interop;

/// <summary>
/// The real dbmate 2.x binary, installed from npm into out/tools on first use (the registry is the one
/// place it comes from here). Runs it with the database URL in DATABASE_URL, never on its command line.
/// </summary>
public static class Dbmate
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? _path;

    public static async Task<string> PathAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (_path is not null) return _path;
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "SchemaOps.sln"))) root = root.Parent;
            var prefix = System.IO.Path.Combine(root!.FullName, "out", "tools");
            var bin = System.IO.Path.Combine(prefix, "node_modules", ".bin", "dbmate");
            if (!File.Exists(bin))
            {
                var (code, output) = await RunAsync("npm", ["install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix, "dbmate@2"], null, prefix);
                if (code != 0 || !File.Exists(bin))
                    throw new InvalidOperationException($"installing dbmate from npm failed (exit {code}); the interop tests need npm and the npm registry:\n{output}");
            }
            return _path = bin;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs `dbmate --no-dump-schema --migrations-dir DIR args...` against the URL; returns exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string url, string migrationsDir, params string[] args) =>
        await RunAsync(await PathAsync(), ["--no-dump-schema", "--migrations-dir", migrationsDir, .. args], url, migrationsDir);

    /// <summary>Runs `dbmate dump`: dbmate's own schema file for the database, written to <paramref name="schemaFile"/>.</summary>
    public static async Task DumpAsync(string url, string migrationsDir, string schemaFile)
    {
        var (code, output) = await RunAsync(await PathAsync(), ["--migrations-dir", migrationsDir, "--schema-file", schemaFile, "dump"], url, migrationsDir);
        Assert.True(code == 0 && File.Exists(schemaFile), output);
    }

    /// <summary>The files dbmate's status marks applied ([X]) and pending ([ ]).</summary>
    public static async Task<(List<string> Applied, List<string> Pending)> StatusAsync(string url, string migrationsDir)
    {
        var (code, output) = await RunAsync(url, migrationsDir, "status");
        Assert.True(code == 0, output);
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        return (lines.Where(l => l.StartsWith("[X] ")).Select(l => l[4..]).ToList(), lines.Where(l => l.StartsWith("[ ] ")).Select(l => l[4..]).ToList());
    }

    private static async Task<(int, string)> RunAsync(string file, string[] args, string? url, string workingDirectory)
    {
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (url is not null) start.Environment["DATABASE_URL"] = url;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
