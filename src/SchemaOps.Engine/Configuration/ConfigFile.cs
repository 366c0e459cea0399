namespace SchemaOps.Engine.Configuration;

/// <summary>
/// A config file: settings common to every environment, and named environments (dev, staging, production)
/// that add to or override them. Three formats: SchemaOps' own schemaops.json, Flyway's flyway.toml
/// (Flyway 10's environments) and flyway.conf (one unnamed environment). Keys are checked when the file
/// is read; values are converted, and `${env.NAME}` references expanded, only for the environment used.
/// </summary>
public sealed class ConfigFile
{
    private readonly List<(string Key, RawValue Value)> _common;
    private readonly Dictionary<string, List<(string Key, RawValue Value)>> _environments;
    private readonly bool _bareReferences;

    private ConfigFile(string path, List<(string, RawValue)> common, Dictionary<string, List<(string, RawValue)>> environments, bool bareReferences) =>
        (Path, _common, _environments, _bareReferences) = (path, common, environments, bareReferences);

    public string Path { get; }

    /// <summary>Looked for, in this order, in the working directory when no config file is named.</summary>
    public static readonly string[] DiscoveryNames = ["schemaops.json", "flyway.toml", "flyway.conf", "conf/flyway.conf"];

    public static string? Discover(string directory) =>
        DiscoveryNames.Select(n => System.IO.Path.Combine(directory, n)).FirstOrDefault(File.Exists);

    /// <summary>The environment names, as the file spells them.</summary>
    public IEnumerable<string> EnvironmentNames => _environments.Keys;

    public bool HasEnvironments => _environments.Count > 0;

    public bool HasEnvironment(string name) => _environments.ContainsKey(name);

    /// <summary>The environment used when none is chosen (the common part's `environment` key).</summary>
    public string? DefaultEnvironment => _common.Where(e => e.Key.Equals("environment", StringComparison.OrdinalIgnoreCase)).Select(e => e.Value.AsString(e.Key)).LastOrDefault();

    /// <summary>
    /// An environment named production or prod is production whatever else is said: a `production: false` that
    /// would apply to it (its own, or the common part's) is a config error naming file, line and key.
    /// </summary>
    public void RefuseProductionSwitchedOff(string? environmentName)
    {
        if (!ConfigResolver.IsProductionName(environmentName)) return;
        var own = _environments.TryGetValue(environmentName!, out var entries) ? entries : [];
        foreach (var (key, value) in own.Concat(_common))
            if (key.Equals("production", StringComparison.OrdinalIgnoreCase) && SaysFalse(value))
                throw Errors.Input(ErrorCatalog.ProductionSwitchedOff,
                    $"{value.File}:{value.Line}: '{key}' would make environment '{environmentName}' not production, but an environment named production or prod " +
                    "is always production (clean refused, destructive changes confirmed): remove the key, or give a non-production database another environment name",
                    value.File, value.Line);
    }

    private static bool SaysFalse(RawValue value) =>
        value.Value is false || value.Value is string text && bool.TryParse(text.Trim(), out var b) && !b || EnvReferences.HasAny(value); // a reference could say false when it is expanded

    /// <summary>The common part's settings.</summary>
    public ConfigValues CommonValues(EnvironmentVariables variables) => ToValues(_common, variables);

    /// <summary>One environment's own settings (without the common part).</summary>
    public ConfigValues EnvironmentValues(string name, EnvironmentVariables variables) => ToValues(_environments[name], variables);

    private ConfigValues ToValues(List<(string Key, RawValue Value)> entries, EnvironmentVariables variables) =>
        entries.Aggregate(ConfigValues.None, (values, e) => ConfigKeys.Set(values, e.Key, e.Value.Expand(variables, _bareReferences)));

    public static ConfigFile Load(string path, Action<string>? warning)
    {
        if (!File.Exists(path))
            throw new SchemaOpsException(ErrorCatalog.ConfigFileNotFound, $"config file {path} does not exist", path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return Build(path, JsonConfigReader.Read(path, File.ReadAllBytes(path)), JsonScope, strict: true, bareReferences: false, warning);
        if (path.EndsWith(".toml", StringComparison.OrdinalIgnoreCase))
            return Build(path, TomlConfigReader.Read(path, File.ReadAllText(path)), TomlScope, strict: false, bareReferences: false, warning);
        if (path.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".properties", StringComparison.OrdinalIgnoreCase))
            // flyway.conf also writes environment references as ${NAME}.
            return Build(path, PropertiesConfigReader.Read(path, File.ReadAllText(path)), ConfScope, strict: false, bareReferences: true, warning);
        throw Errors.Parameter(ErrorCatalog.UnknownConfigFormat, $"config file {System.IO.Path.GetFileName(path)}: SchemaOps reads .json (schemaops.json), .toml (flyway.toml) and .conf (flyway.conf)");
    }

    /// <summary>Where an entry belongs: (null = common, or an environment's name; the key), or null to skip it.</summary>
    private delegate (string? Environment, string Key)? Scope(ConfigEntry entry);

    // schemaops.json: { "environments": { "<name>": { key: value } }, key: value }
    private static (string?, string)? JsonScope(ConfigEntry e) =>
        e.Path[0] == "$schema" ? null
        : e.Path[0] == "environments" ? e.Path.Count > 2 ? (e.Path[1], e.Key(2)) : throw NotAnEnvironment(e)
        : (null, e.Key(0));

    // flyway.toml: [flyway] key = value; [environments.<name>] url/user/...; [environments.<name>.flyway] overrides. Other tools' tables are skipped.
    private static (string?, string)? TomlScope(ConfigEntry e) =>
        e.Path[0] == "flyway" && e.Path.Count > 1 ? (null, e.Key(1))
        : e.Path[0] == "environments" ? e.Path.Count > 3 && e.Path[2] == "flyway" ? (e.Path[1], e.Key(3)) : e.Path.Count > 2 ? (e.Path[1], e.Key(2)) : throw NotAnEnvironment(e)
        : null;

    // flyway.conf: flyway.<key>=value; anything else is not Flyway's.
    private static (string?, string)? ConfScope(ConfigEntry e) => e.Path[0] == "flyway" && e.Path.Count > 1 ? (null, e.Key(1)) : null;

    private static SchemaOpsException NotAnEnvironment(ConfigEntry e) =>
        Errors.Input(ErrorCatalog.InvalidConfigFile, $"{e.Value.File}:{e.Value.Line}: '{string.Join('.', e.Path)}': an environment holds keys (url, locations, ...)", e.Value.File, e.Value.Line);

    private static ConfigFile Build(string path, List<ConfigEntry> entries, Scope scope, bool strict, bool bareReferences, Action<string>? warning)
    {
        var common = new List<(string, RawValue)>();
        var environments = new Dictionary<string, List<(string, RawValue)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (scope(entry) is not var (environmentName, key) || !ConfigKeys.Check(key, entry.Value, strict, warning)) continue;
            // Every environment's values are checked now, not when that environment is first used (in production, say);
            // those with ${env.NAME} references once expanded, so an unused environment's secrets need not be set.
            if (!EnvReferences.HasAny(entry.Value)) ConfigKeys.Set(ConfigValues.None, key, entry.Value);
            if (environmentName is null)
            {
                common.Add((key, entry.Value));
                continue;
            }
            if (key.Equals("environment", StringComparison.OrdinalIgnoreCase))
                throw Errors.Input(ErrorCatalog.InvalidConfigFile, $"{entry.Value.File}:{entry.Value.Line}: 'environment' chooses the default environment: it belongs outside the environments", entry.Value.File, entry.Value.Line);
            (environments.TryGetValue(environmentName, out var list) ? list : environments[environmentName] = []).Add((key, entry.Value));
        }
        var file = new ConfigFile(System.IO.Path.GetFullPath(path), common, environments, bareReferences);
        foreach (var name in environments.Keys) file.RefuseProductionSwitchedOff(name); // when the file is read, whichever environment is used
        return file;
    }
}
