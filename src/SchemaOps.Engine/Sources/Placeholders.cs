using System.Text;
using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Flyway's placeholders: `${name}` anywhere in a script is replaced by its value before the script is
/// split and run (names are case-insensitive; the built-ins are `flyway:defaultSchema`, `flyway:user`,
/// `flyway:database`, `flyway:timestamp`, `flyway:filename`, `flyway:workingDirectory`, `flyway:table`,
/// `flyway:environment`). Versioned checksums stay those of the raw file; a repeatable's is taken after
/// replacement, with the raw one accepted as equivalent (so a changed value re-applies it). A placeholder
/// with no value is an error naming file and line, raised when the script is about to run (or be written
/// by a dry run), so info and validate still work without deploy-time values. Values are never printed.
/// </summary>
public static partial class Placeholders
{
    [GeneratedRegex(@"\$\{([A-Za-z0-9_.:\-]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>The script with its placeholders replaced, or unchanged (and marked) when one has no value.</summary>
    public static MigrationScript Apply(MigrationScript script, IReadOnlyDictionary<string, string> values)
    {
        if (script.Config.PlaceholderReplacement == false || !script.Text.Contains("${", StringComparison.Ordinal)) return script;
        string? missing = null;
        var missingAt = 0;
        var replaced = Placeholder().Replace(script.Text, m =>
        {
            var name = m.Groups[1].Value;
            var value = name.Equals("flyway:filename", StringComparison.OrdinalIgnoreCase) ? Path.GetFileName(script.FullPath)
                : values.TryGetValue(name, out var v) ? v : null;
            if (value is not null) return value;
            if (missing is null) (missing, missingAt) = (name, m.Index);
            return m.Value;
        });
        if (missing is not null)
        {
            var line = script.FirstLine + script.Text.AsSpan(0, missingAt).Count('\n');
            return script with
            {
                PlaceholderProblem = Errors.Input(ErrorCatalog.MissingPlaceholder,
                    $"{script.DisplayPath}:{line}: no value for the placeholder ${{{missing}}}: pass -Placeholder @{{ '{missing}' = ... }} / --placeholder {missing}=..., " +
                    "or turn replacement off for this script (placeholderReplacement=false in its .sql.conf) or for all (-NoPlaceholderReplacement / --no-placeholders)",
                    script.DisplayPath, line, script.Version?.Text),
            };
        }
        var checksum = script.Kind == MigrationKind.Repeatable ? FlywayChecksum.Compute(replaced) : script.Checksum;
        return script with { Text = replaced, Checksum = checksum, RawChecksum = script.Checksum };
    }

    /// <summary>The values for one run: the given ones (case-insensitive) over Flyway's built-ins.</summary>
    public static Dictionary<string, string> Values(IReadOnlyDictionary<string, string> given, string defaultSchema, string user, string database,
        string table, string? environment)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["flyway:defaultSchema"] = defaultSchema,
            ["flyway:user"] = user,
            ["flyway:database"] = database,
            ["flyway:timestamp"] = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["flyway:workingDirectory"] = Directory.GetCurrentDirectory(),
            ["flyway:table"] = table,
            ["flyway:environment"] = environment ?? "",
        };
        foreach (var (name, value) in given) values[name] = value;
        return values;
    }
}
