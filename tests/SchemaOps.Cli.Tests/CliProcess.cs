using System.Diagnostics;

namespace SchemaOps.Cli.Tests;

/// <summary>
/// Runs the built `schemaops` CLI as a real process: the JIT build by default, or the executable that
/// SCHEMAOPS_CLI names (e.g. the native binary from `dotnet publish -r linux-x64`), so the shipped artifact
/// passes the same suite.
/// </summary>
public static class CliProcess
{
    private static readonly string? Native = Environment.GetEnvironmentVariable("SCHEMAOPS_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;
    private static readonly string Dll = Native ?? FindCli();

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>The command line that runs the CLI with these arguments (for a shell to start it).</summary>
    public static IReadOnlyList<string> CommandLine(IEnumerable<string> args) => [Native ?? "dotnet", .. Native is null ? [Dll] : Array.Empty<string>(), .. args];

    public static Process Start(IEnumerable<string> args, IDictionary<string, string?>? env = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(Native ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        if (Native is null) psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("DATABASE_URL");
        psi.Environment.Remove("PGPASSWORD");
        foreach (var (k, v) in env ?? new Dictionary<string, string?>()) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? env = null, string? workingDirectory = null)
    {
        using var p = Start(args, env, workingDirectory);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    private static string FindCli()
    {
        // tests/SchemaOps.Cli.Tests/bin/<Configuration>/net10.0 → src/SchemaOps.Cli/bin/<Configuration>/net8.0/schemaops.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SchemaOps.sln"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "src", "SchemaOps.Cli", "bin", configuration, "net8.0", "schemaops.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build the CLI first", dll);
    }
}
