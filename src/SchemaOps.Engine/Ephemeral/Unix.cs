using System.Runtime.InteropServices;

namespace SchemaOps.Engine.Ephemeral;

/// <summary>The few POSIX calls .NET lacks: ownership, signals, effective uid. Linux/macOS only.</summary>
internal static partial class Unix
{
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static partial int geteuid();

    public static bool IsRoot => !OperatingSystem.IsWindows() && geteuid() == 0;

    public static void Chown(string path, (int Uid, int Gid) owner)
    {
        if (lchown(path, owner.Uid, owner.Gid) != 0)
            throw new IOException($"cannot change the owner of {path} (errno {Marshal.GetLastPInvokeError()})");
    }

    public static void ChownTree(string root, (int Uid, int Gid) owner)
    {
        Chown(root, owner);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)) Chown(entry, owner);
    }

    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>
    /// Whether a process with this id runs (signal 0 probes without sending anything). A zombie (ended, not yet reaped
    /// by its parent: a container's init can take its time) answers the probe but runs nothing: not alive.
    /// </summary>
    public static bool IsAlive(int pid) => pid > 0 && (kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM: exists */) && !IsZombie(pid);

    /// <summary>Ended but not reaped (Linux's /proc state Z, or X while going); false where there is no /proc to ask.</summary>
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is 'Z' or 'X'; // field 3, the state
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return false; // gone (the probe says so) or no /proc
        }
    }

    /// <summary>uid and gid of an OS user, read from /etc/passwd; null when there is no such user.</summary>
    public static (int Uid, int Gid)? LookupUser(string name)
    {
        if (!File.Exists("/etc/passwd")) return null;
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length > 3 && f[0] == name && int.TryParse(f[2], out var uid) && int.TryParse(f[3], out var gid)) return (uid, gid);
        }
        return null;
    }
}
