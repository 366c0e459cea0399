using System.Diagnostics;

namespace SchemaOps.Engine.Tests;

/// <summary>
/// A tmpfs of a given size, mounted for one test and removed after it: the only way to run out of disk for
/// real. Mounting needs root, which is how this suite runs here and in CI; elsewhere <see cref="MountAsync"/>
/// skips the test (reported as skipped, never as passed: the caller must be a [SkippableFact]).
/// </summary>
public sealed class SmallFileSystem : IAsyncDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    /// <param name="readOnly">Mounted read-only: writing fails even for root (permissions do not stop root).</param>
    public static async Task<SmallFileSystem> MountAsync(string size, bool readOnly = false)
    {
        Skip.If(Environment.UserName != "root", "mounting a tmpfs needs root");
        var path = Directory.CreateTempSubdirectory("schemaops-small-").FullName;
        if (await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}{(readOnly ? ",ro" : "")}", "tmpfs", path) != 0)
            throw new InvalidOperationException($"could not mount a {size} tmpfs on {path} as root");
        return new SmallFileSystem(path);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", Path);
        Directory.Delete(Path);
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        await p.WaitForExitAsync();
        return p.ExitCode;
    }
}
