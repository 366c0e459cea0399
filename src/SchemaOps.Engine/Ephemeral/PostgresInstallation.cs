using System.Diagnostics;

namespace SchemaOps.Engine.Ephemeral;

/// <summary>An installed set of PostgreSQL server binaries (initdb, postgres, pg_ctl ...).</summary>
public sealed class PostgresInstallation
{
    private PostgresInstallation(string binDirectory, int majorVersion)
    {
        BinDirectory = binDirectory;
        MajorVersion = majorVersion;
    }

    public string BinDirectory { get; }
    public int MajorVersion { get; }

    public string Tool(string name) => Path.Combine(BinDirectory, OperatingSystem.IsWindows() ? name + ".exe" : name);

    /// <summary>
    /// Finds the binaries: an explicit folder, SCHEMAOPS_PG_BIN, PATH, pg_config --bindir, then the usual
    /// Debian, RedHat, Homebrew and Windows locations (newest version first).
    /// </summary>
    public static PostgresInstallation Find(string? binDirectory = null)
    {
        foreach (var dir in Candidates(binDirectory))
        {
            var install = new PostgresInstallation(dir, 0);
            if (!File.Exists(install.Tool("initdb")) || !File.Exists(install.Tool("postgres"))) continue;
            // A PATH folder may hold links to the real bin folder: use the real one, so the tools beside
            // (psql, pg_dump, pg_restore) are found too.
            var real = new FileInfo(install.Tool("postgres")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? install.Tool("postgres");
            var realDirectory = Path.GetDirectoryName(real)!;
            return new PostgresInstallation(realDirectory, ReadMajorVersion(Path.Combine(realDirectory, Path.GetFileName(real))));
        }
        throw new SchemaOpsException("PostgresBinariesNotFound", SchemaOpsErrorCategory.ObjectNotFound,
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
            .Select(dir => new PostgresInstallation(dir, 0))
            .Where(i => File.Exists(i.Tool("pg_dump")) && File.Exists(i.Tool("pg_restore")))
            .DistinctBy(i => Path.GetFullPath(i.BinDirectory))
            .Select(i => (Install: new PostgresInstallation(i.BinDirectory, ReadMajorVersion(i.Tool("pg_dump"))), IsLink: new FileInfo(i.Tool("pg_dump")).LinkTarget is not null))
            .OrderByDescending(x => x.Install.MajorVersion).ThenBy(x => x.IsLink)
            .Select(x => x.Install)
            .FirstOrDefault();
        if (found is null)
            throw new SchemaOpsException("PgDumpNotFound", SchemaOpsErrorCategory.ObjectNotFound,
                "pg_dump and pg_restore were not found on PATH, via pg_config, or in the usual locations. Install PostgreSQL's client tools " +
                $"(Debian/Ubuntu: apt-get install postgresql-client-{serverMajor}; RedHat: dnf install postgresql{serverMajor}; macOS: brew install postgresql@{serverMajor}) " +
                "or point SCHEMAOPS_PG_BIN at their bin folder.");
        if (found.MajorVersion < serverMajor)
            throw new SchemaOpsException("PgDumpTooOld", SchemaOpsErrorCategory.InvalidOperation,
                $"the newest pg_dump found ({found.Tool("pg_dump")}) is version {found.MajorVersion}, older than the server ({serverMajor}): pg_dump cannot dump a newer server. " +
                $"Install PostgreSQL {serverMajor}'s client tools (e.g. apt-get install postgresql-client-{serverMajor}) or point SCHEMAOPS_PG_BIN at them.");
        return found;
    }

    private static List<string> Candidates(string? binDirectory)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(binDirectory)) return [binDirectory];
        if (Environment.GetEnvironmentVariable("SCHEMAOPS_PG_BIN") is { Length: > 0 } env) candidates.Add(env);
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        if (PgConfigBinDir() is { } fromPgConfig) candidates.Add(fromPgConfig);
        candidates.AddRange(WellKnownLocations());
        return candidates;
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
            using var p = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
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

    private static int ReadMajorVersion(string tool)
    {
        using var p = Process.Start(new ProcessStartInfo(tool, "--version") { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd(); // "postgres (PostgreSQL) 15.18 (Debian ...)", "pg_dump (PostgreSQL) 15.18 ..."
        p.WaitForExit();
        var number = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Length > 0 && char.IsAsciiDigit(w[0])) ?? "0";
        return int.TryParse(number.Split('.')[0], out var major) ? major : 0;
    }
}
