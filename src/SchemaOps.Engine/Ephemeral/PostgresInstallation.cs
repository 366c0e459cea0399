using System.Collections.Concurrent;
using System.Diagnostics;

namespace SchemaOps.Engine.Ephemeral;

/// <summary>An installed set of PostgreSQL server binaries (initdb, postgres, pg_ctl ...).</summary>
public sealed class PostgresInstallation
{
    // Finding costs a process or two (pg_config): once per process for each way of asking.
    private static readonly ConcurrentDictionary<string, PostgresInstallation> Found = new();
    private readonly Lazy<Version> _version;

    private PostgresInstallation(string binDirectory, string versionTool)
    {
        BinDirectory = binDirectory;
        _version = new Lazy<Version>(() => ReadVersion(versionTool));
    }

    public string BinDirectory { get; }

    /// <summary>The version (major.minor), asked of the binary (<c>--version</c>) the first time it is needed; 0.0 when it says none.</summary>
    public Version Version => _version.Value;

    public int MajorVersion => Version.Major;

    public string Tool(string name) => ToolIn(BinDirectory, name);

    private static string ToolIn(string directory, string name) => Path.Combine(directory, OperatingSystem.IsWindows() ? name + ".exe" : name);

    /// <summary>
    /// Finds the binaries: an explicit folder, SCHEMAOPS_PG_BIN, PATH, pg_config --bindir, then the usual
    /// Debian, RedHat, Homebrew and Windows locations (newest version first).
    /// </summary>
    public static PostgresInstallation Find(string? binDirectory = null)
    {
        var question = $"{binDirectory}|{Environment.GetEnvironmentVariable("SCHEMAOPS_PG_BIN")}|{Environment.GetEnvironmentVariable("PATH")}";
        if (Found.TryGetValue(question, out var known)) return known;
        foreach (var dir in Candidates(binDirectory))
        {
            var postgres = ToolIn(dir, "postgres");
            if (!File.Exists(ToolIn(dir, "initdb")) || !File.Exists(postgres)) continue;
            // A PATH folder may hold links to the real bin folder: use the real one, so the tools beside
            // (psql, pg_dump, pg_restore) are found too.
            var real = new FileInfo(postgres).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? postgres;
            return Found[question] = new PostgresInstallation(Path.GetDirectoryName(real)!, real);
        }
        throw new SchemaOpsException(ErrorCatalog.PostgresBinariesNotFound,
            (binDirectory is null ? "no PostgreSQL server binaries (initdb, postgres) were found on PATH, via pg_config, or in the usual locations. "
                                  : $"'{binDirectory}' does not hold initdb and postgres. ") +
            "Install them (Debian/Ubuntu: apt-get install postgresql; RedHat: dnf install postgresql-server; macOS: brew install postgresql; " +
            "Windows: the EDB installer) or point SCHEMAOPS_PG_BIN at their bin folder.");
    }

    /// <summary>
    /// The client tools (pg_dump and pg_restore together) for a server of <paramref name="serverMajor"/>: the
    /// newest found in the same places as <see cref="Find"/>. pg_dump refuses a server newer than itself, so
    /// an older one is an error that says what to install.
    /// </summary>
    public static PostgresInstallation FindClientTools(int serverMajor, string? binDirectory = null)
    {
        // Links are not followed: Debian's /usr/bin/pg_dump is a wrapper script that picks a version itself, so
        // among equal versions a real binary (e.g. /usr/lib/postgresql/15/bin) wins over a link.
        var found = Candidates(binDirectory)
            .Select(dir => new PostgresInstallation(dir, ToolIn(dir, "pg_dump")))
            .Where(i => File.Exists(i.Tool("pg_dump")) && File.Exists(i.Tool("pg_restore")))
            .DistinctBy(i => Path.GetFullPath(i.BinDirectory))
            .Select(i => (Install: i, IsLink: new FileInfo(i.Tool("pg_dump")).LinkTarget is not null))
            .OrderByDescending(x => x.Install.MajorVersion).ThenBy(x => x.IsLink)
            .Select(x => x.Install)
            .FirstOrDefault();
        if (found is null)
            throw new SchemaOpsException(ErrorCatalog.PgDumpNotFound,
                "pg_dump and pg_restore were not found on PATH, via pg_config, or in the usual locations. Install PostgreSQL's client tools " +
                $"(Debian/Ubuntu: apt-get install postgresql-client-{serverMajor}; RedHat: dnf install postgresql{serverMajor}; macOS: brew install postgresql@{serverMajor}) " +
                "or point SCHEMAOPS_PG_BIN at their bin folder.");
        if (found.MajorVersion < serverMajor)
            throw new SchemaOpsException(ErrorCatalog.PgDumpTooOld,
                $"the newest pg_dump found ({found.Tool("pg_dump")}) is version {found.MajorVersion}, older than the server ({serverMajor}): pg_dump cannot dump a newer server. " +
                $"Install PostgreSQL {serverMajor}'s client tools (e.g. apt-get install postgresql-client-{serverMajor}) or point SCHEMAOPS_PG_BIN at them.");
        return found;
    }

    /// <summary>Where to look, in order; lazily, so pg_config only runs when PATH did not have the binaries.</summary>
    private static IEnumerable<string> Candidates(string? binDirectory)
    {
        if (!string.IsNullOrEmpty(binDirectory))
        {
            yield return binDirectory;
            yield break;
        }
        if (Environment.GetEnvironmentVariable("SCHEMAOPS_PG_BIN") is { Length: > 0 } env) yield return env;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) yield return dir;
        if (PgConfigBinDir() is { } fromPgConfig) yield return fromPgConfig;
        foreach (var dir in WellKnownLocations()) yield return dir;
    }

    private static IEnumerable<string> WellKnownLocations()
    {
        static IEnumerable<string> Versions(string parent, string pattern, string suffix) =>
            Directory.Exists(parent)
                ? Directory.GetDirectories(parent, pattern).OrderByDescending(VersionKey).Select(d => Path.Combine(d, suffix))
                : [];
        return Versions("/usr/lib/postgresql", "*", "bin")
            .Concat(Versions("/usr", "pgsql-*", "bin"))
            .Concat(Versions("/opt/homebrew/opt", "postgresql*", "bin"))
            .Concat(Versions("/usr/local/opt", "postgresql*", "bin"))
            .Concat(Versions(@"C:\Program Files\PostgreSQL", "*", "bin"));
    }

    private static int VersionKey(string dir) =>
        int.TryParse(new string(Path.GetFileName(dir).Where(char.IsAsciiDigit).Take(3).ToArray()), out var v) ? v : 0;

    private static string? PgConfigBinDir()
    {
        try
        {
            var psi = Connections.LibpqEnvironment.StartInfo("pg_config", ["--bindir"]);
            (psi.RedirectStandardOutput, psi.RedirectStandardError) = (true, true);
            using var p = Process.Start(psi);
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no pg_config on PATH
        }
    }

    private static Version ReadVersion(string tool)
    {
        var psi = Connections.LibpqEnvironment.StartInfo(tool, ["--version"]);
        psi.RedirectStandardOutput = true;
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd(); // "postgres (PostgreSQL) 15.18 (Debian ...)", "pg_dump (PostgreSQL) 15.18 ..."
        p.WaitForExit();
        // "15.18", "17.2", "18beta1" (no minor yet)
        var number = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Length > 0 && char.IsAsciiDigit(w[0])) ?? "0";
        var parts = number.Split('.').Select(part => int.TryParse(new string(part.TakeWhile(char.IsAsciiDigit).ToArray()), out var n) ? n : 0).ToArray();
        return new Version(parts[0], parts.Length > 1 ? parts[1] : 0);
    }
}
