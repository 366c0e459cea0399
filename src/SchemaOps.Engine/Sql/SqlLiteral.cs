using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace SchemaOps.Engine.Sql;

/// <summary>Writes a parameterized command as plain SQL (values inlined as literals), for scripts a human or psql runs.</summary>
public static partial class SqlLiteral
{
    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Placeholder();

    public static string Of(object? value) => value switch
    {
        null or DBNull => "NULL",
        // standard_conforming_strings is on (the default since PostgreSQL 9.1): only quotes need doubling.
        string s => "'" + s.Replace("'", "''") + "'",
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new ArgumentException($"no SQL literal for a {value.GetType().Name}"),
    };

    /// <summary>
    /// The command's text with $1, $2 ... replaced by their values. Only for SchemaOps' own history commands,
    /// whose texts hold '$' nowhere but in placeholders.
    /// </summary>
    public static string Inline(NpgsqlBatchCommand command) =>
        Placeholder().Replace(command.CommandText, m => Of(command.Parameters[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - 1].Value));
}
