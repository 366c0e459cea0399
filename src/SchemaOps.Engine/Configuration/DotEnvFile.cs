using System.Text;

namespace SchemaOps.Engine.Configuration;

/// <summary>
/// A dbmate project's `.env` file, read as dbmate reads it (godotenv): `KEY=value` lines, `export` allowed, `#`
/// comments; 'single quotes' literal; "double quotes" with \n \r \" \\ \$ escapes, over several lines if need be;
/// ${NAME} and $NAME expanded from the lines before and the process environment, except in single quotes. A bare
/// NAME line (docker compose's "from the environment") sets nothing.
/// </summary>
public static class DotEnvFile
{
    public const string DefaultName = ".env";

    /// <summary>The variables the file sets, in order. A line that is not KEY=VALUE is refused with its file and line.</summary>
    public static Dictionary<string, string> Read(string path, EnvironmentVariables process)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SchemaOpsException(ErrorCatalog.InvalidConfigFile, $"{path}: cannot be read: {e.Message}", path);
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            if (IsName(line)) continue; // a bare name (docker compose: take it from the environment) sets nothing
            var equals = line.IndexOf('=');
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (!IsName(key)) throw Invalid(path, number, "is not KEY=VALUE");
            var rest = line[(equals + 1)..].TrimStart();
            string value;
            if (rest.Length > 0 && rest[0] is '\'' or '"')
            {
                // A quoted value may go on over the next lines until its closing quote.
                var quote = rest[0];
                var quoted = new StringBuilder(rest[1..]);
                int close;
                while ((close = ClosingQuote(quoted, quote)) < 0)
                {
                    if (++i >= lines.Length) throw Invalid(path, number, $"opens a {(quote == '"' ? "double" : "single")} quote it never closes");
                    quoted.Append('\n').Append(lines[i]);
                }
                var after = quoted.ToString(close + 1, quoted.Length - close - 1).Trim();
                if (after.Length > 0 && after[0] != '#') throw Invalid(path, number, "has text after its closing quote");
                var inner = quoted.ToString(0, close);
                value = quote == '\'' ? inner : Expand(inner, values, process, unescape: true);
            }
            else
            {
                var comment = rest.IndexOf(" #", StringComparison.Ordinal);
                value = Expand((comment >= 0 ? rest[..comment] : rest).TrimEnd(), values, process, unescape: false);
            }
            values[key] = value;
        }
        return values;
    }

    private static bool IsName(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');

    private static int ClosingQuote(StringBuilder text, char quote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && quote == '"') i++;
            else if (text[i] == quote) return i;
        }
        return -1;
    }

    private static string Expand(string text, Dictionary<string, string> earlier, EnvironmentVariables process, bool unescape)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && unescape && i + 1 < text.Length)
            {
                var next = text[++i];
                if (next is 'n' or 'r') result.Append(next == 'n' ? '\n' : '\r');
                else if (next is '\\' or '"' or '!' or '$' or '`') result.Append(next);
                else result.Append('\\').Append(next); // godotenv keeps any other backslash
            }
            else if (c == '$' && i + 1 < text.Length && (text[i + 1] == '{' || char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '_'))
            {
                var braced = text[i + 1] == '{';
                var start = braced ? i + 2 : i + 1;
                var end = start;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
                if (braced && (end >= text.Length || text[end] != '}')) { result.Append(c); continue; }
                var name = text[start..end];
                result.Append(earlier.TryGetValue(name, out var v) ? v : process[name] ?? "");
                i = braced ? end : end - 1;
            }
            else result.Append(c);
        }
        return result.ToString();
    }

    private static SchemaOpsException Invalid(string path, int line, string what) =>
        new(ErrorCatalog.InvalidConfigFile, $"{path}:{line}: this line {what} (the file is read as dbmate reads it: KEY=VALUE lines, # comments)", path);
}
