namespace SchemaOps.Engine.Configuration;

/// <summary>
/// The one table of config keys, shared by schemaops.json, flyway.conf and flyway.toml: Flyway's names
/// where Flyway has the setting (url, user, password, locations, table, schemas, defaultSchema,
/// placeholders.NAME, cleanDisabled, ...) and SchemaOps' own for the rest (layout, lockTimeout, production, ...).
/// </summary>
internal static class ConfigKeys
{
    /// <summary>Keys Flyway users commonly have that SchemaOps has no use for: skipped without a warning.</summary>
    private static readonly HashSet<string> Quiet = new(StringComparer.OrdinalIgnoreCase)
    {
        "driver", "connectTimeout", "jdbcProperties", "resolvers", "licenseKey", "databaseType", "id",
    };

    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        "url", "user", "password", "locations", "table", "schemas", "defaultSchema", "layout", "placeholderReplacement", "lockTimeout",
        "lockRetryCount", "statementTimeout", "connectRetries", "connectRetriesInterval", "cleanEnabled", "cleanDisabled", "production",
        "group", "outOfOrder", "baselineOnMigrate", "baselineVersion", "validateOnMigrate", "installedBy", "environment", "lintLevel", "slowThreshold",
        "driftIgnore", "initSql", "target", "ignoreMigrationPatterns", "validateMigrationNaming", "createSchemas", "baselineDescription", "mixed",
    };

    /// <summary>
    /// Flyway settings that change which scripts run or what they run, which SchemaOps does not implement, with
    /// Flyway's default: a file or variable giving another value is refused, since skipping it would apply
    /// something else than the team's Flyway applies (files not found under another prefix, ${x} left unreplaced
    /// under other placeholder marks). Flyway's default value itself is accepted.
    /// </summary>
    private static readonly Dictionary<string, string[]> Unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sqlMigrationPrefix"] = ["V"], ["undoSqlMigrationPrefix"] = ["U"], ["repeatableSqlMigrationPrefix"] = ["R"],
        ["sqlMigrationSeparator"] = ["__"], ["sqlMigrationSuffixes"] = [".sql"],
        ["placeholderPrefix"] = ["${"], ["placeholderSuffix"] = ["}"], ["placeholderSeparator"] = [":"],
        ["scriptPlaceholderPrefix"] = ["FP__"], ["scriptPlaceholderSuffix"] = ["__"],
        ["encoding"] = ["UTF-8", "UTF8"], ["skipExecutingMigrations"] = ["false"], ["skipDefaultCallbacks"] = ["false"],
        ["cherryPick"] = [], ["callbacks"] = [],
    };

    /// <summary>
    /// The Flyway settings also read from FLYWAY_ variables, named as Flyway names them (target: FLYWAY_TARGET,
    /// outOfOrder: FLYWAY_OUT_OF_ORDER): a CI job that pins FLYWAY_TARGET must not have everything applied.
    /// The connection, folder and schema variables are read by <see cref="ConfigResolver"/> itself.
    /// </summary>
    internal static readonly string[] FlywayVariableKeys =
    [
        "target", "outOfOrder", "baselineOnMigrate", "baselineVersion", "baselineDescription", "validateOnMigrate", "ignoreMigrationPatterns",
        "validateMigrationNaming", "group", "mixed", "installedBy", "placeholderReplacement", "createSchemas", "initSql", .. Unsupported.Keys,
    ];

    /// <summary>Flyway's environment variable for a setting: FLYWAY_ and the name in capitals, words split by '_'.</summary>
    internal static string VariableName(string key) =>
        "FLYWAY_" + string.Concat(key.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    public static bool IsKnown(string key) => Keys.Contains(key) || key.StartsWith("placeholders.", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Checked when the file is read, for every environment: an unknown key is an error when
    /// <paramref name="strict"/> (SchemaOps' own file: a typo must not pass silently), else a warning (a
    /// Flyway file has dozens of keys SchemaOps does not need).
    /// </summary>
    public static bool Check(string key, RawValue raw, bool strict, Action<string>? warning)
    {
        if (IsKnown(key)) return true;
        if (Unsupported.TryGetValue(key, out var flywayDefault))
        {
            // The value is not quoted: it may hold a password.
            if (raw.AsList(key) is [var only] && flywayDefault.Contains(only, StringComparer.OrdinalIgnoreCase)) return false;
            throw raw.Refused(ErrorCatalog.UnsupportedSetting,
                $"'{key}' changes which scripts run or what they run, and SchemaOps does not support it: nothing was done. " +
                (flywayDefault.Length == 0 ? "Remove it" : $"Remove it, or set it to Flyway's default '{flywayDefault[0]}'"));
        }
        if (strict)
            throw Errors.Input(ErrorCatalog.UnknownConfigKey, $"{raw.Where}: unknown key '{key}' (known: {string.Join(", ", Keys.Order(StringComparer.OrdinalIgnoreCase))}, placeholders)", raw.File, raw.Line);
        if (!Quiet.Contains(key)) warning?.Invoke($"{raw.Where}: '{key}' is not used by SchemaOps; ignored");
        return false;
    }

    /// <summary><paramref name="values"/> with a known <paramref name="key"/> set from its (expanded) value.</summary>
    public static ConfigValues Set(ConfigValues values, string key, RawValue raw)
    {
        const StringComparison ic = StringComparison.OrdinalIgnoreCase;
        if (key.StartsWith("placeholders.", ic))
        {
            var name = key["placeholders.".Length..];
            var placeholders = new Dictionary<string, string>(values.Placeholders ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
            {
                [name] = raw.AsString(key),
            };
            return values with { Placeholders = placeholders };
        }
        return key.ToLowerInvariant() switch
        {
            "url" => values with { Url = raw.AsString(key) },
            "user" => values with { User = raw.AsString(key) },
            "password" => values with { Password = raw.AsString(key) },
            "locations" => values with { Locations = raw.AsList(key).Select(l => Location(l, raw)).ToList() },
            "table" => values with { Table = raw.AsString(key) },
            // Flyway: the history table lives in defaultSchema, else in the first of schemas. Either order of the two keys gives that.
            "schemas" => values with { Schemas = values.Schemas is [var first, ..] ? [first, .. raw.AsList(key).Where(s => s != first)] : raw.AsList(key) },
            "defaultschema" => values with { Schemas = [raw.AsString(key), .. (values.Schemas ?? []).Where(s => s != raw.AsString(key))] },
            "layout" => values with { Layout = Sources.MigrationLayouts.TryParseCliName(raw.AsString(key)) ?? throw raw.Invalid(key, "flyway, dbmate, golang-migrate or auto") },
            "placeholderreplacement" => values with { PlaceholderReplacement = raw.AsBool(key) },
            "locktimeout" => values with { LockTimeout = raw.AsDuration(key) },
            "lockretrycount" => values with { LockRetryCount = raw.AsCount(key) },
            "statementtimeout" => values with { StatementTimeout = raw.AsDuration(key) },
            "connectretries" => values with { ConnectRetries = raw.AsCount(key) },
            "connectretriesinterval" => values with { ConnectRetriesInterval = raw.AsDuration(key) },
            "cleanenabled" => values with { CleanEnabled = raw.AsBool(key) },
            "cleandisabled" => values with { CleanEnabled = !raw.AsBool(key) },
            "production" => values with { Production = raw.AsBool(key) },
            "group" => values with { Group = raw.AsBool(key) },
            "mixed" => values with { Mixed = raw.AsBool(key) },
            "outoforder" => values with { OutOfOrder = raw.AsBool(key) },
            "baselineonmigrate" => values with { BaselineOnMigrate = raw.AsBool(key) },
            "baselineversion" => values with { BaselineVersion = Version(raw, key, latestAllowed: false) },
            "baselinedescription" => values with { BaselineDescription = raw.AsString(key) },
            "validateonmigrate" => values with { ValidateOnMigrate = raw.AsBool(key) },
            "target" => values with { Target = Version(raw, key, latestAllowed: true) },
            "ignoremigrationpatterns" => values with { IgnoreMigrationPatterns = IgnorePatterns(raw, key) },
            // Flyway skips a misnamed file unless this is true; SchemaOps refuses it unless told to skip (false said on purpose).
            "validatemigrationnaming" => values with { LenientNaming = !raw.AsBool(key) },
            "createschemas" => values with { CreateSchemas = raw.AsBool(key) },
            "installedby" => values with { InstalledBy = raw.AsString(key) },
            "initsql" => values with { InitSql = raw.AsString(key) },
            "environment" => values with { Environment = raw.AsString(key) },
            "slowthreshold" => values with { SlowThreshold = raw.AsDuration(key) },
            "driftignore" => values with { DriftIgnore = raw.AsList(key) },
            "lintlevel" => values with { LintLevel = Lint.LintSeverityNames.TryParse(raw.AsString(key)) ?? throw raw.Invalid(key, "error, warning or info") },
            _ => throw new ArgumentException($"not a config key: {key}", nameof(key)), // Check() filtered the unknown ones
        };
    }

    // Checked where it is written, so the error names the file and line (or the variable), not only the value.
    private static string Version(RawValue raw, string key, bool latestAllowed)
    {
        var text = raw.AsString(key);
        return latestAllowed && text.Equals("latest", StringComparison.OrdinalIgnoreCase) || MigrationVersion.TryParse(text, out _, out _) ? text
            : throw raw.Invalid(key, latestAllowed ? "a version (like 1, 1.2 or 20240115) or latest" : "a version (like 1, 1.2 or 20240115)");
    }

    private static IReadOnlyList<string> IgnorePatterns(RawValue raw, string key)
    {
        var patterns = raw.AsList(key);
        foreach (var pattern in patterns)
        {
            try { Planning.IgnorePattern.Parse(pattern); }
            catch (SchemaOpsException) { throw raw.Invalid(key, "type:state patterns (type: *, versioned, repeatable; state: *, missing, pending, ignored, future), like *:missing"); }
        }
        return patterns;
    }

    /// <summary>A folder, relative to the config file's own folder (so the file works from anywhere).</summary>
    private static string Location(string location, RawValue raw)
    {
        if (location.StartsWith("classpath:", StringComparison.OrdinalIgnoreCase))
            throw raw.Refused(ErrorCatalog.UnsupportedLocation, $"'{location}' is a Java classpath location; SchemaOps reads folders: use filesystem:<folder>");
        var folder = Sources.MigrationFolder.StripFilesystemPrefix(location);
        return Path.GetFullPath(folder, Path.GetDirectoryName(Path.GetFullPath(raw.File))!);
    }
}
