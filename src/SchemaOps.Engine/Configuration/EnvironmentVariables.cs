using System.Collections;

namespace SchemaOps.Engine.Configuration;

/// <summary>A snapshot of environment variables (the process's, or a test's), looked up by name or by prefix.</summary>
public sealed class EnvironmentVariables(IReadOnlyDictionary<string, string> values)
{
    public static EnvironmentVariables FromProcess() => new(System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "", OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal));

    public static readonly EnvironmentVariables Empty = new(new Dictionary<string, string>());

    /// <summary>The value, or null when unset or empty (an empty variable says nothing).</summary>
    public string? this[string name] => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>Every set variable whose name starts with <paramref name="prefix"/> (any case), with the rest of its name.</summary>
    public IEnumerable<(string Suffix, string Name, string Value)> WithPrefix(string prefix) =>
        values.Where(kv => kv.Key.Length > prefix.Length && kv.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && kv.Value.Length > 0)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key[prefix.Length..], kv.Key, kv.Value));
}
