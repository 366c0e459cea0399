using System.Diagnostics;

namespace SchemaOps.Engine;

/// <summary>
/// What a SchemaOps process has under way outside itself (a private passfile folder, a pg_dump or pg_restore child, a
/// partial archive, a scratch database), written down while it exists, so that a run killed without a chance to clean
/// up (SIGKILL, a power cut) is cleaned up by the next run of any command of the same OS user. Each process keeps a
/// folder of entries in the user's own application data folder (never a shared temp folder: entries name files to
/// delete, so nobody else may be able to write one); a normal end removes them as it goes, and
/// <see cref="Sweep"/> removes what a process that is gone left behind: its passfiles first, then its children and files.
/// Scratch databases are dropped by the next command that connects to their server (<see cref="DatabasesOn"/>).
/// </summary>
public static class Leftovers
{
    private static readonly string Root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } data
        && Path.IsPathRooted(data) ? Path.Combine(data, "schemaops", "running") : ""; // no home folder: nothing is written down
    private static readonly Lazy<string> Mine = new(() =>
    {
        var folder = Path.Combine(Root, $"{Environment.ProcessId}-{StartOf(Environment.ProcessId)}");
        Directory.CreateDirectory(folder);
        return folder;
    });
    private static int _next;

    /// <summary>Writes an entry down; disposing the registration removes it (the thing was cleaned up by its owner).</summary>
    internal static IDisposable Track(string kind, params string[] fields)
    {
        if (Root.Length == 0) return Registration.None;
        string entry;
        try
        {
            entry = Path.Combine(Mine.Value, $"{kind}-{Interlocked.Increment(ref _next)}");
            File.WriteAllLines(entry, fields);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Registration.None; // best effort: never the reason an operation fails
        }
        return new Registration(entry);
    }

    /// <summary>A child process, by pid and start time (a pid alone may be reused by the time anyone looks).</summary>
    internal static IDisposable TrackProcess(System.Diagnostics.Process process) => Track("process", process.Id.ToString(), StartOf(process.Id), Path.GetFileName(process.StartInfo.FileName));

    /// <summary>Removes what processes of this user that are gone left behind. Cheap when there is nothing; never throws.</summary>
    public static void Sweep()
    {
        Ephemeral.StaleClusters.Remove(); // servers of a killed owner: their own journal, the cluster folders
        try
        {
            if (Root.Length == 0 || !Directory.Exists(Root)) return;
            foreach (var folder in Directory.GetDirectories(Root))
            {
                var name = Path.GetFileName(folder).Split('-', 2);
                if (name.Length == 2 && int.TryParse(name[0], out var pid) && Alive(pid, name[1])) continue;
                var entries = Directory.GetFiles(folder).Select(f => (File: f, Kind: Path.GetFileName(f).Split('-')[0], Fields: File.ReadAllLines(f))).ToList();
                // Passfiles hold passwords in plain text: gone first. Then the children (they may still be writing), then files.
                foreach (var e in entries.OrderBy(e => e.Kind switch { "passfolder" => 0, "process" => 1, _ => 2 }))
                {
                    if (e.Kind == "database") continue; // dropped by a command that connects to its server
                    Clean(e.Kind, e.Fields);
                    File.Delete(e.File);
                }
                if (Directory.GetFiles(folder).Length == 0) Directory.Delete(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Someone else is sweeping too, or a folder is not ours: the next run tries again.
        }
    }

    /// <summary>Scratch databases that processes now gone created on this server; drop them, then <see cref="Forget"/> each.</summary>
    internal static IReadOnlyList<(string File, string Database)> DatabasesOn(string server)
    {
        try
        {
            if (Root.Length == 0 || !Directory.Exists(Root)) return [];
            return Directory.GetDirectories(Root)
                .Where(folder => Path.GetFileName(folder).Split('-', 2) is [var p, var start] && !(int.TryParse(p, out var pid) && Alive(pid, start)))
                .SelectMany(Directory.GetFiles).Where(f => Path.GetFileName(f).StartsWith("database-", StringComparison.Ordinal))
                .Select(f => (File: f, Fields: File.ReadAllLines(f)))
                .Where(e => e.Fields.Length == 2 && e.Fields[0] == server)
                .Select(e => (e.File, e.Fields[1])).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    internal static void Forget(string entry)
    {
        try { File.Delete(entry); } catch (IOException) { }
    }

    private static void Clean(string kind, string[] fields)
    {
        try
        {
            switch (kind)
            {
                case "passfolder" or "path" when fields.Length == 1:
                    if (Directory.Exists(fields[0])) Directory.Delete(fields[0], recursive: true);
                    else File.Delete(fields[0]);
                    break;
                case "process" when fields.Length == 3 && int.TryParse(fields[0], out var pid) && Alive(pid, fields[1]):
                    using (var p = Process.GetProcessById(pid))
                        if (p.ProcessName == fields[2] || fields[2].StartsWith(p.ProcessName, StringComparison.Ordinal))
                        {
                            p.Kill(entireProcessTree: true);
                            WaitUntilDead(pid, fields[1]); // before its files go: a child still dying could write one again
                        }
                    break;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already, or not ours to touch.
        }
    }

    private static bool Alive(int pid, string start) => StartOf(pid) is { Length: > 0 } now && now == start;

    /// <summary>
    /// Waits (at most 5 s) until a killed process has ended. SIGKILL is delivered at once but acted on when the process is
    /// next scheduled, which a loaded machine delays; an ended process we are not the parent of may stay a zombie until
    /// init reaps it, and a zombie runs nothing.
    /// </summary>
    private static void WaitUntilDead(int pid, string start)
    {
        for (var waited = 0; waited < 5000 && Alive(pid, start); waited += 20) Thread.Sleep(20);
    }

    /// <summary>
    /// When the process started (the kernel's clock ticks on Linux): with the pid, it names one process for good. Empty
    /// when it is gone, or ended and not yet reaped (a zombie keeps its /proc entry and start time but runs nothing).
    /// </summary>
    private static string StartOf(int pid)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] is "Z" or "X" ? "" : fields[19]; // field 3, the state; field 22, starttime
            }
            using var p = Process.GetProcessById(pid);
            return p.StartTime.ToUniversalTime().Ticks.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return "";
        }
    }

    private sealed class Registration(string? entry) : IDisposable
    {
        public static readonly Registration None = new(null);

        public void Dispose()
        {
            if (entry is not null) Forget(entry);
        }
    }
}
