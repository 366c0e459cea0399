namespace SchemaOps.Engine.Sql;

/// <summary>
/// What a script's psql backslash commands become. SchemaOps sends statements to the server, as Flyway and dbmate
/// do; only psql reads backslash commands, and the server answers one with a syntax error at "\". The exceptions
/// are \restrict and \unrestrict: pg_dump writes them around every plain dump since PostgreSQL 17.6, 16.10, 15.14,
/// 14.19 and 13.22 (CVE-2025-8714), so a schema dumped into a baseline migration starts with one. They tell psql
/// to run no other backslash command in between, which is what SchemaOps does anyway: they are passed over.
/// </summary>
internal static class PsqlMetaCommands
{
    private static readonly string[] PassedOver = [@"\restrict", @"\unrestrict"];

    /// <summary>Returns for a command that may be passed over; throws for any other, or for one inside a statement (begun on <paramref name="insideStatementFrom"/>).</summary>
    public static void PassOver(string text, SqlToken token, int? insideStatementFrom, string file)
    {
        // The command's name, as psql reads it: the backslash and what follows up to a space (shown, so no control character).
        var end = token.Offset + 1;
        while (end < token.Offset + token.Length && end - token.Offset < 40 && !char.IsWhiteSpace(text[end]) && !char.IsControl(text[end])) end++;
        var name = text[token.Offset..end];
        if (insideStatementFrom is { } begun)
            throw Refused(file, token.Line, $"{name} is a psql command, inside the statement that begins on line {begun}: " +
                "end that statement with ';' before it, or remove it");
        if (PassedOver.Contains(name, StringComparer.Ordinal)) return;
        var hint = name switch
        {
            @"\i" or @"\ir" or @"\include" or @"\include_relative" => "put the statements of the file it names into the migration itself",
            @"\set" => "for a value that differs between databases use a placeholder, ${name}, set with -Placeholder / --placeholder",
            @"\c" or @"\connect" => "a migration runs in the one database it is applied to: move the statements for another database to its own migrations",
            _ => "replace it with the SQL it stands for, or remove it",
        };
        throw Refused(file, token.Line, $"{name} is a psql command, not SQL: SchemaOps sends each statement to the server " +
            $"(as Flyway does), and only psql reads backslash commands; {hint}");
    }

    private static SchemaOpsException Refused(string file, int line, string what) =>
        Errors.Input(ErrorCatalog.PsqlMetaCommand, $"{file}:{line}: {what}", file, line);
}
