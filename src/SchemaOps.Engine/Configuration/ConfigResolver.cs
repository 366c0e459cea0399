using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Configuration;

/// <summary>What the front end knows: its parameters (null = not given), where it stands, and the environment variables.</summary>
public sealed record ConfigRequest
{
    /// <summary>The command line's or cmdlet's values; Environment is the chosen config environment.</summary>
    public ConfigValues Parameters { get; init; } = ConfigValues.None;
    /// <summary>An explicit config file; null: SCHEMAOPS_CONFIG, else Flyway's FLYWAY_CONFIG_FILES, else the first of <see cref="ConfigFile.DiscoveryNames"/> in the working directory.</summary>
    public string? ConfigPath { get; init; }
    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;
    public EnvironmentVariables Variables { get; init; } = EnvironmentVariables.FromProcess();
    /// <summary>An explicit dbmate-style variables file (--env-file); null: <see cref="DotEnvFile.DefaultName"/> in the working directory, when there is one.</summary>
    public string? DotEnvPath { get; init; }
    /// <summary>The variable that holds the database URL (dbmate's --env: STAGING_DATABASE_URL), in the environment or the .env file; null: none named.</summary>
    public string? UrlVariable { get; init; }
}

/// <summary>
/// The one place settings are decided. Precedence, highest first: parameter, environment variable, the
/// chosen environment of the config file, the config file's common settings, a dbmate project's .env file,
/// SchemaOps' default. The .env comes last so that it only fills what nothing else says: a dbmate project runs
/// as `dbmate` runs it, and an application's .env never redirects a project whose config names its database.
/// The user and password travel with the URL: they are taken from the URL's layer or a higher one, never
/// from a lower one (a config file's password is not sent to a server named on the command line).
/// </summary>
public static class ConfigResolver
{
    public static MigrationRequest Resolve(ConfigRequest request, Action<string>? warning = null, Action<string>? verbose = null)
    {
        var (merged, target, environmentName) = Merge(request, warning, verbose, requireDatabase: true);
        return new MigrationRequest(target!, ToSettings(merged, environmentName, request.WorkingDirectory));
    }

    /// <summary>
    /// For the rehearsal, which undoes what it applies: a database only when named on purpose (a Url or
    /// Environment parameter), never one from DATABASE_URL / FLYWAY_URL or the config's default environment.
    /// No database named: the settings alone (the rehearsal starts a throwaway server).
    /// </summary>
    public static (MigrationSettings Settings, ConnectionTarget? Target) ResolveForRehearsal(ConfigRequest request, Action<string>? warning = null, Action<string>? verbose = null)
    {
        var named = request.Parameters.Url is not null || request.Parameters.Environment is not null || request.UrlVariable is not null;
        var (merged, target, environmentName) = Merge(request, warning, verbose, requireDatabase: named, ignoreDatabaseVariables: true);
        // A rehearsal always lints, so it always applies the team's rules file (migrate only with its lint gate).
        var settings = ToSettings(merged, environmentName, request.WorkingDirectory);
        return (settings with { LintRules = Lint.LintRuleSettings.Load(null, request.WorkingDirectory) }, target);
    }

    private static (ConfigValues Merged, ConnectionTarget? Target, string? EnvironmentName) Merge(ConfigRequest request, Action<string>? warning, Action<string>? verbose,
        bool requireDatabase, bool ignoreDatabaseVariables = false)
    {
        var variables = FromVariables(request.Variables);
        var (dotEnv, dotEnvValues) = LoadDotEnv(request, warning, verbose);
        var parameters = request.UrlVariable is { } urlVariable
            ? request.Parameters with { Url = UrlFromVariable(urlVariable, request.Variables, dotEnvValues) }
            : request.Parameters;
        if (ignoreDatabaseVariables)
            (variables, dotEnv) = (variables with { Url = null, User = null, Password = null }, dotEnv with { Url = null, User = null, Password = null });
        var file = LoadFile(request, warning);
        if (file is not null) verbose?.Invoke($"settings from {file.Path}");

        var environmentName = parameters.Environment ?? variables.Environment ?? file?.DefaultEnvironment
            ?? (file is not null && file.HasEnvironment("default") ? "default" : null) ?? dotEnv.Environment;
        var environment = SelectEnvironment(file, environmentName, request.Variables);
        file?.RefuseProductionSwitchedOff(environmentName);

        ConfigValues[] layers = [parameters, variables, environment, file?.CommonValues(request.Variables) ?? ConfigValues.None, dotEnv];
        var merged = layers.Aggregate(ConfigValues.None, (higher, lower) => higher.Over(lower));
        var urlLayer = Array.FindIndex(layers, l => l.Url is not null);
        var credentialLayers = urlLayer < 0 ? layers : layers[..(urlLayer + 1)];
        var user = credentialLayers.Select(l => l.User).FirstOrDefault(u => u is not null);
        var password = credentialLayers.Select(l => l.Password).FirstOrDefault(p => p is not null);

        if (environment.Url is not null && urlLayer < 2 && merged.Url != environment.Url)
            warning?.Invoke($"the database named by {(urlLayer == 0 ? "the parameter" : "an environment variable (FLYWAY_URL or DATABASE_URL)")} " +
                            $"is used instead of environment '{environmentName}''s url in {file!.Path}");

        var target = requireDatabase // an unused url is never parsed
            ? ConnectionTarget.From(merged.Url, user, password).WithConnectRetries(ConnectRetryPolicy.Flyway(merged.ConnectRetries, merged.ConnectRetriesInterval))
            : null;
        return (merged, target, environmentName);
    }

    /// <summary>"production" and "prod" are production whatever is said (a file saying otherwise is refused); any other environment when it says production: true.</summary>
    public static bool IsProductionName(string? environment) =>
        environment is not null && (environment.Equals("production", StringComparison.OrdinalIgnoreCase) || environment.Equals("prod", StringComparison.OrdinalIgnoreCase));

    private static ConfigFile? LoadFile(ConfigRequest request, Action<string>? warning)
    {
        var explicitPath = request.ConfigPath ?? request.Variables["SCHEMAOPS_CONFIG"] ?? FlywayConfigFile(request.Variables);
        var path = explicitPath is not null ? Path.GetFullPath(explicitPath, request.WorkingDirectory) : ConfigFile.Discover(request.WorkingDirectory);
        return path is null ? null : ConfigFile.Load(path, warning);
    }

    /// <summary>
    /// The file Flyway's FLYWAY_CONFIG_FILES names: a pipeline written for Flyway must not have SchemaOps read another
    /// file (or none) and so migrate another database. Flyway merges several files; SchemaOps reads one, and refuses
    /// several rather than pick one.
    /// </summary>
    private static string? FlywayConfigFile(EnvironmentVariables variables) =>
        List(variables["FLYWAY_CONFIG_FILES"]) switch
        {
            null or [] => null,
            [var one] => one,
            var several => throw Errors.Parameter(ErrorCatalog.InvalidEnvironmentVariable,
                $"environment variable FLYWAY_CONFIG_FILES names {several.Count} files; SchemaOps reads one config file: merge them into one, or name one with --config / -ConfigPath or SCHEMAOPS_CONFIG"),
        };

    /// <summary>--url-variable: the URL the variable holds, in the environment first, else in the .env file (as a parameter: named on purpose).</summary>
    private static string UrlFromVariable(string name, EnvironmentVariables process, IReadOnlyDictionary<string, string> dotEnv) =>
        process[name] ?? (dotEnv.TryGetValue(name, out var fromFile) && fromFile.Length > 0 ? fromFile : null)
        ?? throw Errors.Parameter(ErrorCatalog.NoConnection, $"the variable {name} (--url-variable) is set neither in the environment nor in the .env file");

    /// <summary>
    /// The .env file's variables as a layer; none when there is no file. One named on purpose (--env-file) must exist and
    /// be readable; the one found in the working directory may belong to something else (docker compose, the
    /// application): one that cannot be read is passed over with a warning rather than stopping every command.
    /// </summary>
    private static (ConfigValues Layer, IReadOnlyDictionary<string, string> Values) LoadDotEnv(ConfigRequest request, Action<string>? warning, Action<string>? verbose)
    {
        var path = Path.GetFullPath(request.DotEnvPath ?? DotEnvFile.DefaultName, request.WorkingDirectory);
        if (!File.Exists(path))
            return request.DotEnvPath is null ? (ConfigValues.None, new Dictionary<string, string>())
                : throw new SchemaOpsException(ErrorCatalog.ConfigFileNotFound, $"the variables file {path} does not exist", path);
        Dictionary<string, string> values;
        try
        {
            values = DotEnvFile.Read(path, request.Variables);
        }
        catch (SchemaOpsException e) when (request.DotEnvPath is null)
        {
            warning?.Invoke($"{e.Message}: its variables are not used");
            return (ConfigValues.None, new Dictionary<string, string>());
        }
        verbose?.Invoke($"variables from {path}, where neither the environment nor a config file sets them");
        return (FromVariables(new EnvironmentVariables(values)), values);
    }

    private static ConfigValues SelectEnvironment(ConfigFile? file, string? name, EnvironmentVariables variables)
    {
        // Without a file, or with one that has no environments (flyway.conf), the name only labels the database.
        if (name is null || file is null || !file.HasEnvironments) return ConfigValues.None;
        return file.HasEnvironment(name) ? file.EnvironmentValues(name, variables)
            : throw new SchemaOpsException(ErrorCatalog.UnknownEnvironment,
                $"environment '{name}' is not in {file.Path} (it has: {string.Join(", ", file.EnvironmentNames)})", file.Path);
    }

    /// <summary>The environment variables SchemaOps reads: Flyway's and dbmate's own, so a team's CI keeps working, and a few of SchemaOps'.</summary>
    internal static ConfigValues FromVariables(EnvironmentVariables v)
    {
        var placeholders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, _, value) in v.WithPrefix("FLYWAY_PLACEHOLDERS_")) placeholders[name] = value;
        foreach (var (name, _, value) in v.WithPrefix("SCHEMAOPS_PLACEHOLDERS_")) placeholders[name] = value;
        var schemas = List(v["FLYWAY_SCHEMAS"]);
        if (v["FLYWAY_DEFAULT_SCHEMA"] is { } defaultSchema) schemas = [defaultSchema, .. (schemas ?? []).Where(s => s != defaultSchema)];
        var flyway = ConfigValues.None;
        foreach (var key in ConfigKeys.FlywayVariableKeys)
        {
            var name = ConfigKeys.VariableName(key);
            if (v[name] is not { } text) continue;
            var raw = RawValue.FromVariable(name, text);
            if (ConfigKeys.Check(key, raw, strict: false, warning: null)) flyway = ConfigKeys.Set(flyway, key, raw);
        }
        return flyway with
        {
            Url = v["FLYWAY_URL"] ?? v["DATABASE_URL"],
            User = v["FLYWAY_USER"],
            Password = v["FLYWAY_PASSWORD"],
            Locations = List(v["FLYWAY_LOCATIONS"] ?? v["DBMATE_MIGRATIONS_DIR"]),
            Table = v["FLYWAY_TABLE"] ?? v["DBMATE_MIGRATIONS_TABLE"],
            SchemaFile = v["DBMATE_SCHEMA_FILE"],
            Schemas = schemas,
            Placeholders = placeholders.Count > 0 ? placeholders : null,
            ConnectRetries = v["FLYWAY_CONNECT_RETRIES"] is { } retries
                ? int.TryParse(retries.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count
                    : throw Errors.Parameter(ErrorCatalog.InvalidEnvironmentVariable, "environment variable FLYWAY_CONNECT_RETRIES must be a whole number, 0 or more")
                : null,
            ConnectRetriesInterval = v["FLYWAY_CONNECT_RETRIES_INTERVAL"] is { } interval
                ? DurationText.TryParse(interval, out var pause) ? pause : throw Errors.Parameter(ErrorCatalog.InvalidEnvironmentVariable, "environment variable FLYWAY_CONNECT_RETRIES_INTERVAL must be seconds or a duration (like 30s or 2m)")
                : null,
            CleanEnabled = Bool(v, "SCHEMAOPS_CLEAN_ENABLED") ?? !Bool(v, "FLYWAY_CLEAN_DISABLED"),
            Environment = v["SCHEMAOPS_ENVIRONMENT"] ?? v["FLYWAY_ENVIRONMENT"],
            OutOfOrder = Bool(v, "DBMATE_STRICT") == true ? false : flyway.OutOfOrder, // dbmate --strict: no older pending version
            LintLevel = v["SCHEMAOPS_LINT_LEVEL"] is { } level
                ? Lint.LintSeverityNames.TryParse(level) ?? throw Errors.Parameter(ErrorCatalog.InvalidEnvironmentVariable, "environment variable SCHEMAOPS_LINT_LEVEL must be error, warning or info")
                : null,
            SlowThreshold = v["SCHEMAOPS_SLOW_THRESHOLD"] is { } slow
                ? DurationText.TryParse(slow, out var threshold) ? threshold : throw Errors.Parameter(ErrorCatalog.InvalidEnvironmentVariable, "environment variable SCHEMAOPS_SLOW_THRESHOLD must be a duration (like 500ms, 30s or 5m)")
                : null,
        };
    }

    private static IReadOnlyList<string>? List(string? text) => text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool? Bool(EnvironmentVariables v, string name) => v[name] is not { } text ? null
        : bool.TryParse(text.Trim(), out var b) ? b
        : throw Errors.Parameter(ErrorCatalog.InvalidEnvironmentVariable, $"environment variable {name} must be true or false");

    private static MigrationSettings ToSettings(ConfigValues v, string? environmentName, string workingDirectory)
    {
        var s = new MigrationSettings { Environment = environmentName, Production = IsProductionName(environmentName) || v.Production == true };
        // A golang-migrate URL's own table and statement timeout, where nothing else names them.
        var (urlTable, urlStatementTimeout) = GolangMigrateUrl.Settings(v.Url);
        v = v with { Table = v.Table ?? urlTable, StatementTimeout = v.StatementTimeout ?? urlStatementTimeout };
        CheckIdentifier(v.Table, "the history table name (-Table / --table / table, or the URL's x-migrations-table)");
        foreach (var schema in v.Schemas ?? []) CheckIdentifier(schema, "the schema name (-Schema / --schema / schemas)");
        return s with
        {
            // Relative folders from parameters and environment variables are the working directory's (a config file's are already its own).
            Locations = (v.Locations ?? [MigrationSettings.DefaultLocationIn(workingDirectory)]).Select(l => Path.GetFullPath(Sources.MigrationFolder.StripFilesystemPrefix(l), workingDirectory)).ToList(),
            Layout = v.Layout ?? s.Layout,
            Table = v.Table ?? s.Table,
            Schemas = v.Schemas ?? s.Schemas,
            Placeholders = v.Placeholders ?? s.Placeholders,
            PlaceholderReplacement = v.PlaceholderReplacement ?? s.PlaceholderReplacement,
            LockTimeout = v.LockTimeout ?? s.LockTimeout,
            LockRetryCount = v.LockRetryCount ?? s.LockRetryCount,
            StatementTimeout = v.StatementTimeout ?? s.StatementTimeout,
            CleanEnabled = v.CleanEnabled ?? s.CleanEnabled,
            Group = v.Group ?? s.Group,
            Mixed = v.Mixed ?? s.Mixed,
            OutOfOrder = v.OutOfOrder ?? s.OutOfOrder,
            BaselineOnMigrate = v.BaselineOnMigrate ?? s.BaselineOnMigrate,
            BaselineVersion = v.BaselineVersion ?? s.BaselineVersion,
            BaselineDescription = v.BaselineDescription ?? s.BaselineDescription,
            ValidateOnMigrate = v.ValidateOnMigrate ?? s.ValidateOnMigrate,
            Target = v.Target ?? s.Target,
            IgnoreMigrationPatterns = v.IgnoreMigrationPatterns ?? s.IgnoreMigrationPatterns,
            LenientNaming = v.LenientNaming ?? s.LenientNaming,
            CreateSchemas = v.CreateSchemas ?? s.CreateSchemas,
            InstalledBy = v.InstalledBy ?? s.InstalledBy,
            InitSql = v.InitSql ?? s.InitSql,
            LintLevel = v.LintLevel,
            SlowThreshold = v.SlowThreshold,
            DriftIgnore = v.DriftIgnore ?? s.DriftIgnore,
            SchemaFile = Path.GetFullPath(v.SchemaFile ?? MigrationSettings.DefaultSchemaFile, workingDirectory),
            // The gate applies the team's rules file (turned-off and re-graded rules), from where the command runs.
            LintRules = v.LintLevel is null ? s.LintRules : Lint.LintRuleSettings.Load(null, workingDirectory),
        };
    }

    /// <summary>PostgreSQL's limit: a longer name is silently cut to 63 bytes, so a history table would be created under another name than asked.</summary>
    private const int MaxIdentifierBytes = 63;

    private static void CheckIdentifier(string? name, string what)
    {
        if (name is null) return;
        var bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        if (name.Length == 0 || name.Any(char.IsControl) || bytes > MaxIdentifierBytes)
            throw Errors.Parameter(ErrorCatalog.InvalidIdentifier,
                $"{what} '{(name.Length > 80 ? name[..80] + "..." : name)}' is not a PostgreSQL name: " +
                (name.Length == 0 ? "it is empty" : bytes > MaxIdentifierBytes ? $"it is {bytes} bytes long, and names are at most {MaxIdentifierBytes}" : "it holds a control character"),
                name);
    }
}
