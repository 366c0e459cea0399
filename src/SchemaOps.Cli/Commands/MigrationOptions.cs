using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Cli.Commands;

/// <summary>The options every database command shares, and how they become a MigrationRequest.</summary>
public static class MigrationOptions
{
    // Declared before Common, which refers to it (static fields initialize in order).
    public static readonly OptionSpec Layout = new("--layout", "migration layout: flyway, dbmate or golang-migrate (default: auto, from the file names or the database's history table)", ValueName: "LAYOUT");

    public static readonly OptionSpec[] Common =
    [
        new("--url", "database: postgres://user@host:port/db?sslmode=..., a jdbc:postgresql:// URL or an Npgsql connection string (default: $DATABASE_URL). Give the password through PGPASSWORD or DATABASE_URL, not here", ValueName: "URL"),
        new("--path", "migration folder, searched recursively (repeatable; default: ./db/migration)", Repeatable: true, ValueName: "DIR"),
        new("--table", "history table (default: flyway_schema_history; schema_migrations for dbmate and golang-migrate)", ValueName: "NAME"),
        Layout,
        new("--schema", "managed schema; the first holds the history table (repeatable; default: the connection's current schema)", Repeatable: true, ValueName: "NAME"),
        new("--placeholder", "value for ${NAME} in the scripts (repeatable)", Repeatable: true, ValueName: "NAME=VALUE"),
        new("--no-placeholders", "do not replace ${...} placeholders in any script", TakesValue: false),
        new("--lenient-naming", "skip files that look like migrations but do not parse, as Flyway does, instead of failing", TakesValue: false),
        new("--ephemeral", "run against a throwaway PostgreSQL started for this command (needs the server binaries; removed afterwards)", TakesValue: false),
        new("--json", "print the result objects as a JSON array", TakesValue: false),
        new("--verbose", "say what is being done, on stderr", TakesValue: false),
    ];

    public static readonly OptionSpec Target = new("--target", "highest version to consider (default: latest)", ValueName: "VERSION");
    public static readonly OptionSpec OutOfOrder = new("--out-of-order", "apply pending versions older than the newest applied one", TakesValue: false);
    public static readonly OptionSpec Ignore = new("--ignore", "type:state pattern of problems to ignore, e.g. *:missing (repeatable; default *:future)", Repeatable: true, ValueName: "PATTERN");
    public static readonly OptionSpec LockWait = new("--lock-wait", "how long to wait for another runner's lock (default 5m)", ValueName: "DURATION");
    public static readonly OptionSpec[] LockSafety =
    [
        new("--lock-timeout", "lock_timeout for each transactional migration; on a timeout it is rolled back and retried (default 2s; 0 waits forever)", ValueName: "DURATION"),
        new("--lock-retries", "how many times a migration that timed out waiting for a lock is retried, with pauses from 0.5s doubling to 30s (default 9)", ValueName: "N"),
        new("--statement-timeout", "statement_timeout for migration statements (default: the server's, usually none)", ValueName: "DURATION"),
    ];
    public static readonly OptionSpec InstalledBy = new("--installed-by", "name recorded in installed_by (default: the database user)", ValueName: "NAME");

    public static async Task<MigrationRequest> BuildAsync(ParsedArguments a, CliContext context, CancellationToken ct, Func<MigrationSettings, MigrationSettings>? more = null)
    {
        var settings = Settings(a, more);

        // The connection last: argument mistakes are reported before any connection problem.
        var url = a.Value("--url");
        if (a.Has("--ephemeral"))
        {
            if (url is not null) throw new UsageException("--ephemeral and --url exclude each other");
            var server = await EphemeralPostgres.StartAsync(ct: ct);
            context.Cleanup.Add(server);
            var database = await server.CreateDatabaseAsync(ct: ct);
            context.Stderr.WriteLine($"started a throwaway PostgreSQL {server.Installation.MajorVersion} on 127.0.0.1:{server.Port} (removed when this command ends)");
            return new MigrationRequest(ConnectionTarget.Parse(server.ConnectionString(database)), settings);
        }
        var target = ConnectionTarget.Parse(url, environment: context.Environment);
        if (url is not null && HasInlinePassword(url))
            context.Stderr.WriteLine("WARNING: the password in --url is visible to every user of this machine (process list, shell history); " +
                                     "use DATABASE_URL or PGPASSWORD instead");
        return new MigrationRequest(target, settings);
    }

    /// <summary>One request per line of a targets file (URLs or connection strings; blank lines and # comments skipped).</summary>
    public static List<MigrationRequest> BuildFleet(ParsedArguments a, string targetsFile, Func<MigrationSettings, MigrationSettings>? more = null)
    {
        var settings = Settings(a, more);
        if (!File.Exists(targetsFile)) throw new UsageException($"--targets: {targetsFile} does not exist");
        return File.ReadAllLines(targetsFile)
            .Select((line, i) => (Text: line.Trim(), Line: i + 1))
            .Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#'))
            .Select(l =>
            {
                try
                {
                    return new MigrationRequest(ConnectionTarget.Parse(l.Text), settings);
                }
                catch (SchemaOpsException e)
                {
                    // The line may hold a password: name the line, never echo it.
                    throw new SchemaOpsException(e.ErrorId, e.Category, $"{targetsFile}:{l.Line}: not a usable connection ({e.ErrorId})", targetsFile, l.Line);
                }
            })
            .ToList();
    }

    private static MigrationSettings Settings(ParsedArguments a, Func<MigrationSettings, MigrationSettings>? more)
    {
        var paths = a.Values("--path");
        var settings = new MigrationSettings
        {
            Locations = paths.Count > 0 ? paths : ["db/migration"],
            Table = a.Value("--table"),
            Layout = a.Value("--layout") is { } layout ? MigrationLayouts.ParseCliName(layout) : MigrationLayout.Auto,
            Schemas = a.Values("--schema"),
            LenientNaming = a.Has("--lenient-naming"),
            Target = a.Value("--target"),
            OutOfOrder = a.Has("--out-of-order"),
            InstalledBy = a.Value("--installed-by"),
            LockWaitTimeout = a.Duration("--lock-wait") ?? TimeSpan.FromMinutes(5),
            StatementTimeout = a.Duration("--statement-timeout"),
        };
        settings = settings with { PlaceholderReplacement = !a.Has("--no-placeholders"), Placeholders = ParsePlaceholders(a.Values("--placeholder")) };
        if (a.Has("--ignore")) settings = settings with { IgnoreMigrationPatterns = a.Values("--ignore") };
        if (a.Duration("--lock-timeout") is { } lockTimeout) settings = settings with { LockTimeout = lockTimeout };
        if (a.Value("--lock-retries") is { } retries)
            settings = settings with { LockRetryCount = int.TryParse(retries, out var n) && n >= 0 ? n : throw new UsageException($"--lock-retries '{retries}' is not a count (0 or more)") };
        return more is null ? settings : more(settings);
    }

    private static Dictionary<string, string> ParsePlaceholders(IReadOnlyList<string> pairs)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new UsageException("--placeholder needs NAME=VALUE"); // the text itself may be a secret: not echoed
            values[pair[..eq]] = pair[(eq + 1)..];
        }
        return values;
    }

    private static bool HasInlinePassword(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return url.Contains("password=", StringComparison.OrdinalIgnoreCase);
        var at = url.IndexOf('@', scheme);
        var userInfo = at > 0 ? url[(scheme + 3)..at] : "";
        return userInfo.Contains(':') || url.Contains("password=", StringComparison.OrdinalIgnoreCase);
    }
}
