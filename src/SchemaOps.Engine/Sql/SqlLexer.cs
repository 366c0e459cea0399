namespace SchemaOps.Engine.Sql;

/// <summary>
/// A PostgreSQL lexer, complete enough that no keyword is ever seen inside a string, identifier or comment:
/// standard and E'' strings, quoted identifiers, dollar quotes with tags, nested block comments, line
/// comments. Whitespace is skipped. An unterminated construct is an error naming the file and the line it started on.
/// The data lines after `COPY ... FROM STDIN;` (as pg_dump writes them, ended by a `\.` line) are one
/// <see cref="SqlTokenKind.CopyData"/> token: never lexed as SQL. A backslash anywhere else starts a psql
/// meta-command, which runs to the end of its line (<see cref="SqlTokenKind.MetaCommand"/>): outside strings,
/// names and comments PostgreSQL's own grammar has no backslash, so no SQL is ever read as one.
/// </summary>
public static class SqlLexer
{
    /// <param name="firstLine">The file line the text starts on (a section of a larger file starts later).</param>
    public static List<SqlToken> Tokenize(string text, string file, int firstLine = 1)
    {
        var tokens = new List<SqlToken>(text.Length / 4);
        var i = 0;
        var line = firstLine;
        var lineStart = 0;
        var boundary = new StatementBoundary();

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
                continue;
            }

            var start = i;
            var startLine = line;
            var column = i - lineStart + 1;
            SqlTokenKind kind;

            if (c == '-' && Peek(text, i + 1) == '-')
            {
                while (i < text.Length && text[i] != '\n' && text[i] != '\r') i++;
                kind = SqlTokenKind.LineComment;
            }
            else if (c == '/' && Peek(text, i + 1) == '*')
            {
                var depth = 0;
                do
                {
                    if (text[i] == '/' && Peek(text, i + 1) == '*') { depth++; i += 2; }
                    else if (text[i] == '*' && Peek(text, i + 1) == '/') { depth--; i += 2; }
                    else i = Advance(text, i, ref line, ref lineStart);
                    if (depth > 0 && i >= text.Length) throw Unterminated(file, startLine, "block comment (/* without */)");
                } while (depth > 0);
                kind = SqlTokenKind.BlockComment;
            }
            else if (c == '\'')
            {
                i = SkipQuoted(text, i, '\'', backslashEscapes: false, file, startLine, ref line, ref lineStart);
                kind = SqlTokenKind.String;
            }
            else if (c == '"')
            {
                i = SkipQuoted(text, i, '"', backslashEscapes: false, file, startLine, ref line, ref lineStart);
                kind = SqlTokenKind.QuotedIdentifier;
            }
            else if (c == '$' && DollarTagLength(text, i) is var tagLength && tagLength > 0)
            {
                var tag = text.AsSpan(i, tagLength);
                var end = text.AsSpan(i + tagLength).IndexOf(tag, StringComparison.Ordinal);
                if (end < 0) throw Unterminated(file, startLine, $"dollar-quoted string ({tag.ToString()} without its closing {tag.ToString()})");
                var stop = i + tagLength + end + tagLength;
                while (i < stop) i = Advance(text, i, ref line, ref lineStart);
                kind = SqlTokenKind.DollarString;
            }
            else if (c == '\\')
            {
                while (i < text.Length && text[i] != '\n' && text[i] != '\r') i++;
                kind = SqlTokenKind.MetaCommand;
            }
            else if (IsWordStart(c) || char.IsAsciiDigit(c) || c == '$')
            {
                i++;
                while (i < text.Length && (IsWordPart(text[i]) || text[i] == '.' && char.IsAsciiDigit(c))) i++;
                kind = SqlTokenKind.Word;
                // A string prefix (E'', U&'', B'', X'', N'') is a word glued to a quote: lex them as one string.
                var prefixLength = i - start;
                if (prefixLength == 1 && Peek(text, i) == '\'' && "EeBbXxNn".Contains(c))
                {
                    i = SkipQuoted(text, i, '\'', backslashEscapes: c is 'E' or 'e', file, startLine, ref line, ref lineStart);
                    kind = SqlTokenKind.String;
                }
                else if (prefixLength == 1 && c is 'U' or 'u' && Peek(text, i) == '&' && Peek(text, i + 1) is '\'' or '"')
                {
                    var quote = text[i + 1];
                    i = SkipQuoted(text, i + 1, quote, backslashEscapes: false, file, startLine, ref line, ref lineStart);
                    kind = quote == '\'' ? SqlTokenKind.String : SqlTokenKind.QuotedIdentifier;
                }
            }
            else
            {
                i++;
                kind = SqlTokenKind.Punctuation;
            }
            tokens.Add(new SqlToken(kind, start, i - start, startLine, column));
            if (boundary.Ends(kind, text, start, i - start, out var copyFromStdin) && copyFromStdin)
            {
                // The data starts on the next line, as psql reads it, and ends at a line holding only \.
                i = NextLine(text, i, ref line, ref lineStart);
                var dataStart = i;
                var dataLine = line;
                while (true)
                {
                    if (i >= text.Length) throw Unterminated(file, dataLine, "COPY ... FROM STDIN data (no line holding only \\. ends it)");
                    var lineBegin = i;
                    var lineEnd = text.IndexOfAny(['\n', '\r'], i) is var e and >= 0 ? e : text.Length;
                    i = NextLine(text, i, ref line, ref lineStart);
                    if (!text.AsSpan(lineBegin, lineEnd - lineBegin).SequenceEqual("\\.")) continue;
                    tokens.Add(new SqlToken(SqlTokenKind.CopyData, dataStart, lineBegin - dataStart, dataLine, 1));
                    break;
                }
            }
        }
        return tokens;
    }

    /// <summary>The 1-based line of <paramref name="index"/> in <paramref name="text"/>, counting breaks as the lexer does.</summary>
    public static int LineAt(string text, int index, int firstLine = 1)
    {
        var line = firstLine;
        for (var i = 0; i < index && i < text.Length; i++)
            if (text[i] == '\n' || text[i] == '\r' && Peek(text, i + 1) != '\n') line++;
        return line;
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_' || c > 127;
    private static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '$' || c > 127;

    /// <summary>Length of a dollar-quote tag ($$ or $name$) starting at i, or 0 when it is not one ($1 is a parameter).</summary>
    private static int DollarTagLength(string text, int i)
    {
        var j = i + 1;
        if (j < text.Length && text[j] == '$') return 2;
        if (j >= text.Length || !IsWordStart(text[j])) return 0;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_' || text[j] > 127)) j++;
        return j < text.Length && text[j] == '$' ? j - i + 1 : 0;
    }

    /// <summary>The index just past the line break that ends the line holding <paramref name="i"/> (or the text's end).</summary>
    private static int NextLine(string text, int i, ref int line, ref int lineStart)
    {
        while (i < text.Length && text[i] != '\n' && text[i] != '\r') i++;
        if (i < text.Length) i = Advance(text, i, ref line, ref lineStart);
        if (i < text.Length && text[i - 1] == '\r' && text[i] == '\n') i = Advance(text, i, ref line, ref lineStart);
        return i;
    }

    private static int Advance(string text, int i, ref int line, ref int lineStart)
    {
        var c = text[i++];
        if (c == '\n' || c == '\r' && Peek(text, i) != '\n')
        {
            line++;
            lineStart = i;
        }
        return i;
    }

    private static int SkipQuoted(string text, int i, char quote, bool backslashEscapes, string file, int startLine, ref int line, ref int lineStart)
    {
        i++; // opening quote
        while (true)
        {
            if (i >= text.Length)
                throw Unterminated(file, startLine, quote == '"' ? "quoted identifier (\" without its closing \")" : "string (' without its closing ')");
            var c = text[i];
            if (backslashEscapes && c == '\\' && i + 1 < text.Length)
            {
                i = Advance(text, i + 1, ref line, ref lineStart);
                continue;
            }
            if (c == quote)
            {
                if (Peek(text, i + 1) == quote) { i += 2; continue; }
                return i + 1;
            }
            i = Advance(text, i, ref line, ref lineStart);
        }
    }

    private static SchemaOpsException Unterminated(string file, int line, string what) =>
        Errors.Input(ErrorCatalog.UnterminatedSql, $"{file}:{line}: unterminated {what}", file, line);
}
