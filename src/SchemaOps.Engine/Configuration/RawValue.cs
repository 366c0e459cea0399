using System.Globalization;

namespace SchemaOps.Engine.Configuration;

/// <summary>
/// One value as a config file wrote it (a string, bool, number or list of strings) and where: every
/// conversion error names the file, the line and the key.
/// </summary>
internal readonly record struct RawValue(object Value, string File, int Line)
{
    /// <summary>A value an environment variable gives (FLYWAY_TARGET): errors name the variable.</summary>
    public static RawValue FromVariable(string name, string value) => new(value, name, 0) { IsVariable = true };

    private bool IsVariable { get; init; }

    /// <summary>Where the value was written, as messages name it: file:line, or the environment variable.</summary>
    public string Where => IsVariable ? $"environment variable {File}" : $"{File}:{Line}";

    /// <summary>The value with its environment references replaced (only values actually used are expanded, so an unused environment's secrets need not be set).</summary>
    public RawValue Expand(EnvironmentVariables environment, bool allowBare)
    {
        var (file, line) = (File, Line);
        string One(string s) => EnvReferences.Expand(s, file, line, environment, allowBare);
        return Value switch
        {
            string s => this with { Value = One(s) },
            IReadOnlyList<string> list => this with { Value = list.Select(One).ToList() },
            _ => this,
        };
    }

    public string AsString(string key) => Value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => throw Invalid(key, "a single value, not a list"),
    };

    /// <summary>A list; a plain string is split at commas, as flyway.conf writes lists.</summary>
    public IReadOnlyList<string> AsList(string key) => Value is IReadOnlyList<string> list ? list
        : AsString(key).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public bool AsBool(string key) => Value switch
    {
        bool b => b,
        string s when bool.TryParse(s.Trim(), out var b) => b,
        _ => throw Invalid(key, "true or false"),
    };

    public int AsCount(string key) => Value switch
    {
        double d when d >= 0 && d <= int.MaxValue && d == Math.Floor(d) => (int)d,
        string s when int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Invalid(key, "a whole number, 0 or more"),
    };

    /// <summary>A duration: a number of seconds, or text like 500ms, 30s, 5m.</summary>
    public TimeSpan AsDuration(string key) => Value switch
    {
        double d when d >= 0 => TimeSpan.FromSeconds(d),
        string s when DurationText.TryParse(s, out var t) => t,
        _ => throw Invalid(key, "a duration (seconds, or like 500ms, 30s, 5m)"),
    };

    // The value itself is not quoted: it may be a password.
    public SchemaOpsException Invalid(string key, string expected) =>
        Refused(IsVariable ? ErrorCatalog.InvalidEnvironmentVariable : ErrorCatalog.InvalidConfigValue, $"'{key}' must be {expected}");

    /// <summary>An error of <paramref name="kind"/> about this value, prefixed with where it was written.</summary>
    public SchemaOpsException Refused(ErrorKind kind, string message) =>
        IsVariable ? Errors.Parameter(kind, $"{Where}: {message}", File) : Errors.Input(kind, $"{Where}: {message}", File, Line);
}
