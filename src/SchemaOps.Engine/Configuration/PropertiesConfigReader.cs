namespace SchemaOps.Engine.Configuration;

/// <summary>
/// Reads flyway.conf, a Java properties file: `key=value` (or `key: value`), `#` and `!` comments, a
/// trailing backslash continuing the line.
/// </summary>
internal static class PropertiesConfigReader
{
    public static List<ConfigEntry> Read(string file, string text)
    {
        var entries = new List<ConfigEntry>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimStart();
            if (line.Length == 0 || line[0] is '#' or '!') continue;
            while (EndsWithContinuation(line) && i + 1 < lines.Length) line = line[..^1] + lines[++i].TrimStart();

            var separator = line.IndexOfAny(['=', ':']);
            if (separator <= 0)
                throw Errors.Input(ErrorCatalog.InvalidConfigFile, $"{file}:{lineNumber}: key=value was expected", file, lineNumber);
            var key = line[..separator].Trim();
            var value = line[(separator + 1)..].Trim();
            entries.Add(new ConfigEntry(key.Split('.'), new RawValue(value, file, lineNumber)));
        }
        return entries;
    }

    // An odd number of trailing backslashes continues the line; "\\" is an escaped backslash.
    private static bool EndsWithContinuation(string line) => (line.Length - line.TrimEnd('\\').Length) % 2 == 1;
}
