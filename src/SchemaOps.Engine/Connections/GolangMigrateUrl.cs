namespace SchemaOps.Engine.Connections;

/// <summary>
/// golang-migrate's own parameters in a postgres:// URL (x-migrations-table, x-statement-timeout, ...). A team's
/// DATABASE_URL keeps them while both tools run on its database, so the URL is accepted as it is: the history table and
/// the statement timeout it names are used when nothing else names them; the others tune golang-migrate's driver
/// (multi-statement sending, its lock), which SchemaOps does its own way (it splits statements, and locks itself).
/// </summary>
public static class GolangMigrateUrl
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "x-migrations-table", "x-migrations-table-quoted", "x-statement-timeout", "x-multi-statement", "x-multi-statement-max-size",
        "x-lock-strategy", "x-lock-table",
    };

    /// <summary>Whether a URL parameter is one of golang-migrate's (the connection itself takes none of them).</summary>
    public static bool IsParameter(string key) => Known.Contains(key);

    /// <summary>The history table and statement timeout a postgres:// URL names through golang-migrate's parameters.</summary>
    public static (string? Table, TimeSpan? StatementTimeout) Settings(string? url)
    {
        if (url is null || !(url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            || url.IndexOf('?') is var q && q < 0)
            return (null, null);
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in ConnectionTarget.QueryParameters(url[(q + 1)..]))
            if (IsParameter(key)) parameters[key] = value;

        string? table = null;
        if (parameters.TryGetValue("x-migrations-table", out var name) && name.Length > 0)
            table = parameters.TryGetValue("x-migrations-table-quoted", out var quoted) && quoted is "1" or "t" or "T" or "true" or "TRUE" or "True" ? Unquote(name) : name; // Go's ParseBool
        TimeSpan? timeout = null;
        if (parameters.TryGetValue("x-statement-timeout", out var ms) && ms.Length > 0)
            timeout = int.TryParse(ms, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds)
                ? milliseconds == 0 ? null : TimeSpan.FromMilliseconds(milliseconds)
                : throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, "the URL's x-statement-timeout must be milliseconds, a whole number");
        return (table, timeout);
    }

    /// <summary>x-migrations-table-quoted=true: the name is a quoted identifier; a schema-qualified one is refused (name the schema with --schema).</summary>
    private static string Unquote(string name)
    {
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"' && !name[1..^1].Replace("\"\"", "").Contains('"'))
            return name[1..^1].Replace("\"\"", "\"");
        throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl,
            "the URL's x-migrations-table is not one quoted name (x-migrations-table-quoted=true): for a table in another schema, " +
            "pass the schema with --schema / -Schema and the table with --table / -Table");
    }
}
