namespace SchemaOps.Engine.Sql;

/// <summary>
/// Splits a script into statements where <see cref="StatementBoundary"/> says they end (like psql: not inside
/// parentheses or a BEGIN ATOMIC body); a COPY ... FROM STDIN carries the data lines that follow it. psql's
/// backslash commands are not SQL: the \restrict and \unrestrict lines pg_dump writes into every plain dump
/// are passed over, any other is an error naming it (<see cref="PsqlMetaCommands"/>).
/// </summary>
public static class SqlSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string text, string file, int firstLine = 1) => Split(text, SqlLexer.Tokenize(text, file, firstLine), file);

    /// <summary>The statements of text already tokenized (for a caller that also needs the comments).</summary>
    public static IReadOnlyList<SqlStatement> Split(string text, IReadOnlyList<SqlToken> tokens, string file)
    {
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        var words = new List<string>();
        var boundary = new StatementBoundary();

        void Flush(int endOffset)
        {
            var firstSignificant = current.FindIndex(t => !t.IsComment);
            if (firstSignificant >= 0)
            {
                var start = current[firstSignificant].Offset;
                var statementTokens = current.GetRange(firstSignificant, current.Count - firstSignificant);
                statements.Add(new SqlStatement(text[start..endOffset].TrimEnd(), current[firstSignificant].Line, start, statementTokens, words.ToArray()));
            }
            current.Clear();
            words.Clear();
            boundary.Reset();
        }

        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.CopyData)
            {
                // Follows the ';' of its COPY ... FROM STDIN: the data goes with that statement, never into one.
                statements[^1] = statements[^1].WithCopyData(text.Substring(token.Offset, token.Length));
                continue;
            }
            if (token.Kind == SqlTokenKind.MetaCommand)
            {
                var open = current.FindIndex(t => !t.IsComment);
                PsqlMetaCommands.PassOver(text, token, open >= 0 ? current[open].Line : null, file);
                continue;
            }
            if (boundary.Ends(token.Kind, text, token.Offset, token.Length, out _))
            {
                Flush(token.Offset);
                continue;
            }
            if (token.Kind == SqlTokenKind.Word && !char.IsAsciiDigit(text[token.Offset]) && text[token.Offset] != '$')
                words.Add(text.Substring(token.Offset, token.Length).ToUpperInvariant());
            current.Add(token);
        }
        Flush(text.Length);
        return statements;
    }
}
