using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Configuration;

/// <summary>One key of a config file, as the path of names leading to it (table or object names, then the key) and its value.</summary>
internal sealed record ConfigEntry(IReadOnlyList<string> Path, RawValue Value)
{
    public string Key(int skip) => string.Join('.', Path.Skip(skip));
}

/// <summary>
/// `${env.NAME}` in a config value (Flyway's TOML resolver syntax; flyway.conf also writes `${NAME}`) is
/// replaced by that environment variable, so a file can name a secret without holding it.
/// </summary>
internal static partial class EnvReferences
{
    [GeneratedRegex(@"\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Prefixed();

    [GeneratedRegex(@"\$\{(?:env\.)?([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex PrefixedOrBare();

    public static bool HasAny(RawValue value) => value.Value switch
    {
        string s => s.Contains("${", StringComparison.Ordinal),
        IReadOnlyList<string> list => list.Any(s => s.Contains("${", StringComparison.Ordinal)),
        _ => false,
    };

    public static string Expand(string text, string file, int line, EnvironmentVariables environment, bool allowBare = false) =>
        (allowBare ? PrefixedOrBare() : Prefixed()).Replace(text, m => environment[m.Groups[1].Value]
            ?? throw Errors.Input(ErrorCatalog.ConfigVariableNotSet, $"{file}:{line}: environment variable {m.Groups[1].Value} is not set (it is referenced as {m.Value})", file, line));
}
