using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Lint;

/// <summary>
/// A statement as the rules see it: its significant tokens (comments left out, so words inside comments or
/// strings never match a keyword), keywords upper-cased, identifiers normalized as PostgreSQL folds them.
/// </summary>
internal sealed class LintStatement
{
    public LintStatement(SqlStatement statement, string script)
    {
        Statement = statement;
        Tokens = statement.Tokens.Where(t => !t.IsComment).Select(t =>
        {
            var text = t.TextIn(script);
            return new LintToken(t, text, t.Kind == SqlTokenKind.Word ? text.ToUpperInvariant() : t.Kind == SqlTokenKind.Punctuation ? text : "");
        }).ToList();
    }

    public SqlStatement Statement { get; }
    public IReadOnlyList<LintToken> Tokens { get; }
    public string FirstLine => Statement.Text.Split('\n')[0].Trim();

    public bool Starts(params string[] words) => Statement.StartsWith(words);

    /// <summary>The index of the first place the keyword sequence appears at or after <paramref name="from"/>, or -1.</summary>
    public int Find(int from, params string[] words)
    {
        for (var i = Math.Max(0, from); i + words.Length <= Tokens.Count; i++)
        {
            var j = 0;
            while (j < words.Length && Tokens[i + j].Upper == words[j]) j++;
            if (j == words.Length) return i;
        }
        return -1;
    }

    public bool Has(params string[] words) => Find(0, words) >= 0;

    /// <summary>The (possibly schema-qualified, possibly quoted) name starting at <paramref name="i"/>: its last part, folded as PostgreSQL does.</summary>
    public string? NameAt(int i)
    {
        string? name = null;
        while (i < Tokens.Count && Tokens[i].Token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            name = Tokens[i].Token.Kind == SqlTokenKind.QuotedIdentifier ? Tokens[i].Text[1..^1].Replace("\"\"", "\"") : Tokens[i].Text.ToLowerInvariant();
            if (i + 2 < Tokens.Count && Tokens[i + 1].Upper == ".") i += 2;
            else break;
        }
        return name;
    }

    /// <summary>The name after the keyword sequence, skipping IF [NOT] EXISTS and ONLY.</summary>
    public string? NameAfter(params string[] words)
    {
        var i = Find(0, words);
        if (i < 0) return null;
        i += words.Length;
        while (i < Tokens.Count && Tokens[i].Upper is "IF" or "NOT" or "EXISTS" or "ONLY" or "CONCURRENTLY") i++;
        return NameAt(i);
    }

    /// <summary>The table an ALTER TABLE, CREATE INDEX ... ON, or similar statement works on.</summary>
    public string? Table => Starts("ALTER", "TABLE") ? NameAfter("ALTER", "TABLE")
        : Has("ON") && (Starts("CREATE", "INDEX") || Starts("CREATE", "UNIQUE", "INDEX")) ? NameAfter("ON")
        : null;
}

internal readonly record struct LintToken(SqlToken Token, string Text, string Upper);
