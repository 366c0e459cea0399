namespace SchemaOps.Engine.Sql;

/// <summary>
/// Splits a script into statements at top-level semicolons. Like psql, a semicolon inside parentheses or
/// inside a `CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC ... END` body does not end a statement,
/// and a COPY ... FROM STDIN carries the data lines that follow it.
/// </summary>
public static class SqlSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string text, string file, int firstLine = 1) => Split(text, SqlLexer.Tokenize(text, file, firstLine));

    /// <summary>The statements of text already tokenized (for a caller that also needs the comments).</summary>
    public static IReadOnlyList<SqlStatement> Split(string text, IReadOnlyList<SqlToken> tokens)
    {
        var statements = new List<SqlStatement>();
        var current = new List<SqlToken>();
        var words = new List<string>();
        var parenDepth = 0;
        var beginDepth = 0;

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
            parenDepth = 0;
            beginDepth = 0;
        }

        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.CopyData)
            {
                // Follows the ';' of its COPY ... FROM STDIN: the data goes with that statement, never into one.
                statements[^1] = statements[^1].WithCopyData(text.Substring(token.Offset, token.Length));
                continue;
            }
            if (token.Kind == SqlTokenKind.Punctuation)
            {
                var c = text[token.Offset];
                if (c == ';' && parenDepth == 0 && beginDepth == 0)
                {
                    Flush(token.Offset);
                    continue;
                }
                if (c == '(') parenDepth++;
                else if (c == ')' && parenDepth > 0) parenDepth--;
            }
            else if (token.Kind == SqlTokenKind.Word && !char.IsAsciiDigit(text[token.Offset]) && text[token.Offset] != '$')
            {
                var word = text.Substring(token.Offset, token.Length).ToUpperInvariant();
                words.Add(word);
                if (parenDepth == 0 && IsRoutineDefinition(words))
                {
                    if (word == "BEGIN") beginDepth++;
                    else if (word == "CASE" && beginDepth >= 1) beginDepth++; // CASE ... END inside the body
                    else if (word == "END" && beginDepth > 0) beginDepth--;
                }
            }
            current.Add(token);
        }
        Flush(text.Length);
        return statements;
    }

    // psql's heuristic: the statement begins CREATE [OR REPLACE] FUNCTION|PROCEDURE.
    private static bool IsRoutineDefinition(List<string> w) =>
        w.Count >= 2 && w[0] == "CREATE" &&
        (w[1] is "FUNCTION" or "PROCEDURE" ||
         w.Count >= 4 && w[1] == "OR" && w[2] == "REPLACE" && w[3] is "FUNCTION" or "PROCEDURE");
}
