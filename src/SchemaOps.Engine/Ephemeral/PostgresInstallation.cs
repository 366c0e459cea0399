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
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(binDirectory)) candidates.Add(binDirectory);
        else
        {
            if (Environment.GetEnvironmentVariable("SCHEMAOPS_PG_BIN") is { Length: > 0 } env) candidates.Add(env);
            candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
            if (PgConfigBinDir() is { } fromPgConfig) candidates.Add(fromPgConfig);
            candidates.AddRange(WellKnownLocations());
        }
        foreach (var dir in candidates)
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

    private static int ReadMajorVersion(string postgres)
    {
        using var p = Process.Start(new ProcessStartInfo(postgres, "--version") { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd(); // "postgres (PostgreSQL) 15.18 (Debian ...)"
        p.WaitForExit();
        var number = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.Length > 0 && char.IsAsciiDigit(w[0])) ?? "0";
        return int.TryParse(number.Split('.')[0], out var major) ? major : 0;
    }
}
