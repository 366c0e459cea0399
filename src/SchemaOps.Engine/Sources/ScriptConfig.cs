using System.Text;

namespace SchemaOps.Engine.Sources;

/// <summary>Per-script settings from a `&lt;script&gt;.sql.conf` file beside it (Flyway's format: key=value lines).</summary>
public sealed record ScriptConfig(bool? ExecuteInTransaction = null, Encoding? Encoding = null, bool? PlaceholderReplacement = null)
{
    public static readonly ScriptConfig Default = new();

    /// <summary>
    /// For tools that send each file as written (golang-migrate): a file holding its own BEGIN/COMMIT/ROLLBACK
    /// means to run as written, so SchemaOps runs it without its transaction rather than refusing it.
    /// </summary>
    public static readonly ScriptConfig SentAsWritten = new() { OwnTransactionControlRunsAsWritten = true };

    /// <summary>Whether transaction control in the script makes it run as written (see <see cref="SentAsWritten"/>).</summary>
    public bool OwnTransactionControlRunsAsWritten { get; init; }

    public static ScriptConfig Load(string confPath, string displayPath)
    {
        var config = Default;
        var lineNumber = 0;
        foreach (var raw in File.ReadAllLines(confPath))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw Bad(displayPath, lineNumber, $"expected key=value, found '{line}'");
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            config = key switch
            {
                "executeInTransaction" => config with { ExecuteInTransaction = ParseBool(value, displayPath, lineNumber) },
                "placeholderReplacement" => config with { PlaceholderReplacement = ParseBool(value, displayPath, lineNumber) },
                "encoding" => config with { Encoding = ParseEncoding(value, displayPath, lineNumber) },
                _ => throw Bad(displayPath, lineNumber,
                    $"unknown setting '{key}' (known: executeInTransaction, encoding, placeholderReplacement)"),
            };
        }
        return config;
    }

    private static bool ParseBool(string value, string file, int line) => value.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw Bad(file, line, $"'{value}' is not true or false"),
    };

    private static Encoding ParseEncoding(string value, string file, int line)
    {
        try
        {
            return Encoding.GetEncoding(value);
        }
        catch (ArgumentException)
        {
            throw Bad(file, line, $"unknown encoding '{value}'");
        }
    }

    private static SchemaOpsException Bad(string file, int line, string message) =>
        Errors.Input(ErrorCatalog.InvalidScriptConfig, $"{file}:{line}: {message}", file, line);
}
