namespace SchemaOps.Engine.Ephemeral;

/// <summary>
/// Where throwaway clusters live. In memory (the tmpfs at /dev/shm) when it has room: a server with fsync
/// off gains nothing from a disk, and creating a cluster's ~2,000 files costs most of a start on a disk
/// file system (a 39 MB copy took 0.4-0.9 s on ext4 here, 0.06 s on tmpfs). On disk (the temp folder) when
/// memory is small (Docker's default /dev/shm is 64 MB) or the caller expects a lot of data (a restored
/// production backup must not fill the machine's memory). SCHEMAOPS_EPHEMERAL_DIR overrides both.
/// One folder per OS user, so users sharing a machine (CI runners) never need each other's folders.
/// </summary>
public static class EphemeralStorage
{
    public const string OverrideVariable = "SCHEMAOPS_EPHEMERAL_DIR";
    private const string MemoryRoot = "/dev/shm";
    // Room kept free beyond the cluster itself (39 MB) and its expected data, so tests and rehearsals never crowd memory.
    private const long MemoryHeadroom = 1L << 30;
    // A compressed pg_dump archive restores to several times its size once tables are unpacked and indexes rebuilt.
    private const int RestoreExpansion = 10;

    private static string FolderName => $"schemaops-ephemeral-{Environment.UserName}";
    private static string? Override => Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } chosen ? chosen : null;
    private static string InMemory => Path.Combine(MemoryRoot, FolderName);
    private static string OnDisk => Path.Combine(Path.GetTempPath(), FolderName);

    /// <summary>Every place clusters may be found, for stale-cluster cleanup: the override, memory, disk.</summary>
    public static IEnumerable<string> KnownBaseDirectories()
    {
        if (Override is { } chosen) yield return chosen;
        if (!OperatingSystem.IsWindows()) yield return InMemory;
        yield return OnDisk;
    }

    /// <summary>The base folder for a new cluster expected to hold about <paramref name="expectedDataBytes"/> of data.</summary>
    public static string Choose(long expectedDataBytes = 0) =>
        Override ?? (HasMemoryRoom(MemoryHeadroom + RestoreExpansion * Math.Max(0, expectedDataBytes)) ? InMemory : OnDisk);

    /// <summary>The size of a backup (a file, or a directory-format folder), for <see cref="Choose"/>.</summary>
    public static long SizeOf(string path) =>
        File.Exists(path) ? new FileInfo(path).Length
        : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
        : 0;

    private static bool HasMemoryRoom(long needed)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(MemoryRoot)) return false;
        try
        {
            return new DriveInfo(MemoryRoot) is { DriveType: DriveType.Ram } drive && drive.AvailableFreeSpace >= needed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }
}
