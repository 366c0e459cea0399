namespace SchemaOps.Engine.Sql;

/// <summary>
/// Where a statement ends, decided once for the lexer (which must know when COPY ... FROM STDIN data lines
/// follow) and the splitter, as psql decides it: at a ';' outside parentheses and outside the body of a
/// CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC ... END. A COPY written inside such a body is body
/// text, never followed by data (a fuzzed script found the two deciding differently).
/// </summary>
internal sealed class StatementBoundary
{
    private readonly string?[] _lead = new string?[4]; // the first words, upper-case: enough to recognise a routine definition
    private int _words, _parens, _begins;
    private bool _afterTopLevelFrom, _copyFromStdin;

    /// <summary>Feeds the next token; true when it is the ';' that ends the statement (and the boundary starts afresh).</summary>
    /// <param name="copyFromStdin">When it ends one: whether the statement was COPY ... FROM STDIN, so data lines follow.</param>
    public bool Ends(SqlTokenKind kind, string text, int offset, int length, out bool copyFromStdin)
    {
        copyFromStdin = false;
        if (kind == SqlTokenKind.Word && !char.IsAsciiDigit(text[offset]) && text[offset] != '$')
            OnWord(text.AsSpan(offset, length));
        if (kind != SqlTokenKind.Punctuation) return false;
        var c = text[offset];
        if (c == '(') _parens++;
        else if (c == ')' && _parens > 0) _parens--;
        if (c != ';' || _parens > 0 || _begins > 0) return false;
        copyFromStdin = _copyFromStdin;
        Reset();
        return true;
    }

    /// <summary>Starts afresh (the splitter also ends the last statement at the end of the text).</summary>
    public void Reset()
    {
        Array.Clear(_lead);
        _words = _parens = _begins = 0;
        _afterTopLevelFrom = _copyFromStdin = false;
    }

    private void OnWord(ReadOnlySpan<char> word)
    {
        if (_words < _lead.Length) _lead[_words] = word.ToString().ToUpperInvariant();
        _words++;
        if (_parens > 0) return;
        if (IsRoutineDefinition())
        {
            if (Is(word, "BEGIN")) _begins++;
            else if (Is(word, "CASE") && _begins >= 1) _begins++; // CASE ... END inside the body
            else if (Is(word, "END") && _begins > 0) _begins--;
        }
        if (_afterTopLevelFrom && Is(word, "STDIN") && _lead[0] == "COPY") _copyFromStdin = true;
        _afterTopLevelFrom = Is(word, "FROM");
    }

    private bool IsRoutineDefinition() =>
        _lead[0] == "CREATE" &&
        (_lead[1] is "FUNCTION" or "PROCEDURE" || _lead[1] == "OR" && _lead[2] == "REPLACE" && _lead[3] is "FUNCTION" or "PROCEDURE");

    private static bool Is(ReadOnlySpan<char> word, string keyword) => word.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}
