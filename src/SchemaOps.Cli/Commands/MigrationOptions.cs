using SchemaOps.Engine.Configuration;
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
        new("--url", "database: postgres://user@host:port/db?sslmode=..., a jdbc:postgresql:// URL or an Npgsql connection string (default: the config environment's url, $FLYWAY_URL or $DATABASE_URL). " +
                     "Give the password through PGPASSWORD, FLYWAY_PASSWORD or the config file, not here. migrate takes several (a fleet)", Repeatable: true, ValueName: "URL"),
        new("--environment", "config environment to use (default: SCHEMAOPS_ENVIRONMENT, or the config file's default); production ones refuse clean and need --confirm-production for undo and repair. migrate takes several (a fleet)", Repeatable: true, ValueName: "NAME"),
        new("--config", "config file: schemaops.json, flyway.toml or flyway.conf (default: SCHEMAOPS_CONFIG, else FLYWAY_CONFIG_FILES, else the first of those in the current directory)", ValueName: "FILE"),
        new("--url-variable", "take the database URL from the variable NAME, in the environment or the .env file (dbmate's --env), e.g. STAGING_DATABASE_URL", ValueName: "NAME"),
        new("--env-file", "variables file read as dbmate reads it, KEY=VALUE lines (default: ./.env when there is one); its DATABASE_URL, DBMATE_MIGRATIONS_DIR... count only where neither the environment nor a config file sets them", ValueName: "FILE"),
        new("--path", "migration folder, searched recursively (repeatable; default: the config's locations, else ./db/migration, or dbmate's ./db/migrations when only that exists)", Repeatable: true, ValueName: "DIR"),
        new("--table", "history table (default: flyway_schema_history; schema_migrations for dbmate and golang-migrate)", ValueName: "NAME"),
        Layout,
        new("--schema", "managed schema; the first holds the history table (repeatable; default: the connection's current schema)", Repeatable: true, ValueName: "NAME"),
        new("--placeholder", "value for ${NAME} in the scripts (repeatable)", Repeatable: true, ValueName: "NAME=VALUE"),
        new("--no-placeholders", "do not replace ${...} placeholders in any script", TakesValue: false),
        new("--lenient-naming", "skip files that look like migrations but do not parse, as Flyway does, instead of failing (also validateMigrationNaming=false in config, FLYWAY_VALIDATE_MIGRATION_NAMING)", TakesValue: false),
        new("--mixed", "allow a statement that cannot run in a transaction (CREATE INDEX CONCURRENTLY) beside other changes in one script; the whole script then runs without a transaction (Flyway's mixed; also mixed in config, FLYWAY_MIXED)", TakesValue: false),
        new("--connect-retries", "try a failed first connection again up to N times, pausing 1s, doubling, at most connectRetriesInterval (default 0; Flyway's connectRetries)", ValueName: "N"),
        new("--ephemeral", "run against a throwaway PostgreSQL started for this command (needs the server binaries; removed afterwards)", TakesValue: false),
        new("--json", "print the result objects as a JSON array", TakesValue: false),
        new("--verbose", "say what is being done, on stderr", TakesValue: false),
    ];

    public static readonly OptionSpec ConfirmProduction = new("--confirm-production", "allow this destructive change on a production environment's database", TakesValue: false);

    public static readonly OptionSpec Target = new("--target", "highest version to consider (default: target in config, FLYWAY_TARGET, else latest)", ValueName: "VERSION");
    public static readonly OptionSpec[] OutOfOrder =
    [
        new("--out-of-order", "apply pending versions older than the newest applied one (also outOfOrder in config, FLYWAY_OUT_OF_ORDER; the default for dbmate folders, as dbmate does)", TakesValue: false),
        new("--strict", "refuse pending versions older than the newest applied one (dbmate's --strict, DBMATE_STRICT; the default for Flyway and golang-migrate folders)", TakesValue: false),
    ];
    public static readonly OptionSpec Ignore = new("--ignore", "type:state pattern of problems to ignore, e.g. *:missing (repeatable; default: ignoreMigrationPatterns in config, FLYWAY_IGNORE_MIGRATION_PATTERNS, else *:future)", Repeatable: true, ValueName: "PATTERN");
    public static readonly OptionSpec LockWait = new("--lock-wait", $"how long to wait for another runner's lock (default {MigrationSettings.DefaultLockWait.TotalMinutes:0}m)", ValueName: "DURATION");
    public static readonly OptionSpec[] LockSafety =
    [
        new("--lock-timeout", "lock_timeout for each transactional migration; on a timeout it is rolled back and retried (default 2s; 0 waits forever)", ValueName: "DURATION"),
        new("--lock-retries", "how many times a migration that timed out waiting for a lock is retried, with pauses from 0.5s doubling to 30s (default 9)", ValueName: "N"),
        new("--statement-timeout", "statement_timeout for migration statements (default: the server's, usually none; 0: none, lifting the server's)", ValueName: "DURATION"),
    ];
    public static readonly OptionSpec InstalledBy = new("--installed-by", "name recorded in installed_by (default: the database user)", ValueName: "NAME");

    /// <summary>The one database a command works on (every command but migrate takes one).</summary>
    public static async Task<MigrationRequest> BuildAsync(ParsedArguments a, CliContext context, CancellationToken ct, Func<MigrationSettings, MigrationSettings>? more = null)
    {
        if (a.Values("--url").Count > 1 || a.Values("--environment").Count > 1)
            throw new UsageException("only migrate takes several --url or --environment (a fleet)");
        return (await BuildAllAsync(a, context, ct, more))[0];
    }

    /// <summary>
    /// Every target given: one per --url, one per --environment, or one per line of --targets FILE; or the
    /// single one the config and environment variables name.
    /// </summary>
    public static async Task<List<MigrationRequest>> BuildAllAsync(ParsedArguments a, CliContext context, CancellationToken ct, Func<MigrationSettings, MigrationSettings>? more = null)
    {
        // Argument mistakes are reported before any config or connection problem.
        var parameters = Parameters(a);
        var commandLine = CommandLineSettings(a, more);
        var urls = a.Values("--url");
        var environments = a.Values("--environment");
        if (urls.Count > 1 && environments.Count > 1) throw new UsageException("give several --url or several --environment, not both");
        if (a.Has("--url-variable") && (urls.Count > 0 || environments.Count > 1 || a.Has("--targets") || a.Has("--ephemeral")))
            throw new UsageException("--url-variable names where the one URL is: it excludes --url, --targets, --ephemeral and a fleet of environments");

        if (a.Value("--targets") is { } targetsFile)
        {
            if (urls.Count > 0 || a.Has("--ephemeral")) throw new UsageException("--targets excludes --url and --ephemeral");
            return TargetsFile(targetsFile).Select(line => Resolve(context, a, parameters with { Url = line.Url }, commandLine, $"{targetsFile}:{line.Number}")).ToList();
        }
        if (a.Has("--ephemeral"))
        {
            if (urls.Count > 0) throw new UsageException("--ephemeral and --url exclude each other");
            var server = await EphemeralPostgres.StartAsync(ct: ct);
            context.Cleanup.Add(server);
            var database = await server.CreateDatabaseAsync(ct: ct);
            context.Stderr.WriteLine($"started a throwaway PostgreSQL {server.MajorVersion} on 127.0.0.1:{server.Port} (removed when this command ends)");
            return [Resolve(context, a, parameters with { Url = server.ConnectionString(database) }, commandLine)];
        }
        if (urls.Any(Engine.Connections.ConnectionTarget.HoldsPassword))
            context.Stderr.WriteLine("WARNING: " + Engine.Connections.ConnectionTarget.InlinePasswordWarning);
        if (urls.Count > 1) return urls.Select(url => Resolve(context, a, parameters with { Url = url }, commandLine)).ToList();
        if (environments.Count > 1) return environments.Select(env => Resolve(context, a, parameters with { Environment = env }, commandLine)).ToList();
        return [Resolve(context, a, parameters with { Url = urls.FirstOrDefault(), Environment = environments.FirstOrDefault() }, commandLine)];
    }

    private static MigrationRequest Resolve(CliContext context, ParsedArguments a, ConfigValues parameters, Func<MigrationSettings, MigrationSettings> commandLine, string? source = null)
    {
        try
        {
            var request = ConfigResolver.Resolve(new ConfigRequest
                {
                    Parameters = parameters, ConfigPath = a.Value("--config"), DotEnvPath = a.Value("--env-file"), Variables = context.Environment,
                    UrlVariable = parameters.Url is null ? a.Value("--url-variable") : null,
                },
                warning: m => context.Stderr.WriteLine("WARNING: " + m), verbose: a.Has("--verbose") ? m => context.Stderr.WriteLine("VERBOSE: " + m) : null);
            return request with { Settings = commandLine(request.Settings) };
        }
        catch (SchemaOpsException e) when (source is not null && (e.Kind == ErrorCatalog.InvalidConnectionString || e.Kind == ErrorCatalog.InvalidConnectionUrl))
        {
            // A targets-file line may hold a password: name the line, never echo it.
            throw new SchemaOpsException(e.Kind, $"{source}: not a usable target ({e.ErrorId})", source);
        }
    }

    /// <summary>
    /// rehearse and test-backup --ephemeral: the settings, and a database only when --url or --environment names one
    /// (see ConfigResolver.ResolveForRehearsal); null: a throwaway server. The rehearsal's PATH arguments are its locations.
    /// </summary>
    public static (MigrationSettings Settings, Engine.Connections.ConnectionTarget? Target) ForThrowaway(ParsedArguments a, CliContext context, bool pathsAreLocations)
    {
        if (a.Values("--url").Count > 1 || a.Values("--environment").Count > 1) throw new UsageException("rehearse takes one --url or --environment");
        if (a.Has("--ephemeral") && (a.Has("--url") || a.Has("--environment") || a.Has("--url-variable"))) throw new UsageException("--ephemeral excludes --url, --url-variable and --environment");
        if (a.Has("--url-variable") && a.Has("--url")) throw new UsageException("--url-variable names where the URL is: it excludes --url");
        var parameters = Parameters(a);
        var (settings, target) = ConfigResolver.ResolveForRehearsal(new ConfigRequest
            {
                Parameters = parameters with
                {
                    Url = a.Value("--url"), Environment = a.Value("--environment"),
                    Locations = pathsAreLocations && a.Positionals.Count > 0 ? a.Positionals : parameters.Locations,
                },
                ConfigPath = a.Value("--config"), DotEnvPath = a.Value("--env-file"), Variables = context.Environment, UrlVariable = a.Value("--url-variable"),
            },
            m => context.Stderr.WriteLine("WARNING: " + m), a.Has("--verbose") ? m => context.Stderr.WriteLine("VERBOSE: " + m) : null);
        return (CommandLineSettings(a, null)(settings), target);
    }

    /// <summary>The settings only the command line gives (no config key), parsed now so their mistakes come first.</summary>
    private static Func<MigrationSettings, MigrationSettings> CommandLineSettings(ParsedArguments a, Func<MigrationSettings, MigrationSettings>? more)
    {
        var lockWait = a.Duration("--lock-wait");
        return s =>
        {
            s = s with
            {
                LockWaitTimeout = lockWait ?? s.LockWaitTimeout,
                ProductionConfirmed = a.Has("--confirm-production"),
            };
            return more is null ? s : more(s);
        };
    }

    /// <summary>What the command line says, as the highest layer of the configuration (null: not said).</summary>
    private static ConfigValues Parameters(ParsedArguments a) => new()
    {
        Locations = a.Values("--path") is { Count: > 0 } paths ? paths : null,
        Table = a.Value("--table"),
        Layout = a.Value("--layout") is { } layout ? MigrationLayouts.ParseCliName(layout) : null,
        Schemas = a.Values("--schema") is { Count: > 0 } schemas ? schemas : null,
        Placeholders = a.Has("--placeholder") ? ParsePlaceholders(a.Values("--placeholder")) : null,
        PlaceholderReplacement = a.Has("--no-placeholders") ? false : null,
        LockTimeout = a.Duration("--lock-timeout"),
        LockRetryCount = a.Count("--lock-retries", minimum: 0),
        StatementTimeout = a.Duration("--statement-timeout"),
        ConnectRetries = a.Count("--connect-retries", minimum: 0),
        Group = a.Has("--group") ? true : null,
        Mixed = a.Has("--mixed") ? true : null,
        OutOfOrder = a.Has("--out-of-order") && a.Has("--strict") ? throw new UsageException("--out-of-order and --strict say opposite things: give one")
            : a.Has("--out-of-order") ? true : a.Has("--strict") ? false : null,
        BaselineOnMigrate = a.Has("--baseline-on-migrate") ? true : null,
        BaselineVersion = a.Value("--baseline-version"),
        BaselineDescription = a.Value("--baseline-description"),
        Target = a.Value("--target"),
        IgnoreMigrationPatterns = a.Has("--ignore") ? a.Values("--ignore") : null,
        LenientNaming = a.Has("--lenient-naming") ? true : null,
        ValidateOnMigrate = a.Has("--no-validate") ? false : null,
        InstalledBy = a.Value("--installed-by"),
        CleanEnabled = a.Has("--allow-clean") ? true : null,
        LintLevel = a.LintLevel("--lint-level"),
    };

    /// <summary>The lines of a targets file that name a database (blank lines and # comments skipped).</summary>
    private static IEnumerable<(string Url, int Number)> TargetsFile(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Select((line, i) => (Url: line.Trim(), Number: i + 1)).Where(l => l.Url.Length > 0 && !l.Url.StartsWith('#')).ToList()
            : throw new UsageException($"--targets: {path} does not exist");

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
}
