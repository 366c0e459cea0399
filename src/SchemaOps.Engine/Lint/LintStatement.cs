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

    /// <summary>The identifier at <paramref name="i"/> as PostgreSQL sees it (quotes removed), or null for anything else.</summary>
    public string? IdentifierAt(int i) => Tokens[i].Token.Kind switch
    {
        SqlTokenKind.Word => Tokens[i].Text,
        SqlTokenKind.QuotedIdentifier => Tokens[i].Text[1..^1].Replace("\"\"", "\""),
        _ => null,
    };

    private bool IsName(int i) => i >= 0 && i < Tokens.Count && Tokens[i].Token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;
    private bool IsPunctuation(int i, string p) => i >= 0 && i < Tokens.Count && Tokens[i].Upper == p;

    /// <summary>The index of the name's first token after the keyword sequence (skipping IF [NOT] EXISTS, ONLY), or -1.</summary>
    public int NameIndexAfter(params string[] words)
    {
        var i = Find(0, words);
        if (i < 0) return -1;
        i += words.Length;
        while (i < Tokens.Count && Tokens[i].Upper is "IF" or "NOT" or "EXISTS" or "ONLY") i++;
        return IsName(i) ? i : -1;
    }

    /// <summary>
    /// Where the column definitions of CREATE TABLE / ALTER TABLE ADD [COLUMN] / ALTER COLUMN ... TYPE name their
    /// type: a name after "(", ",", ADD or COLUMN followed by a type, or the word after TYPE.
    /// </summary>
    public IEnumerable<int> ColumnTypes()
    {
        var createsTable = Starts("CREATE") && Find(0, "TABLE") is >= 1 and <= 3;   // CREATE [TEMP | UNLOGGED ...] TABLE
        if (!createsTable && !Starts("ALTER", "TABLE")) yield break;
        for (var i = 2; i < Tokens.Count; i++)
        {
            if (!IsName(i)) continue;
            var afterColumn = IsName(i - 1) && (IsPunctuation(i - 2, "(") || IsPunctuation(i - 2, ",") || Tokens[i - 2].Upper is "COLUMN" or "ADD" or "EXISTS");
            if (afterColumn && Tokens[i - 1].Upper is not ("CONSTRAINT" or "PRIMARY" or "UNIQUE" or "CHECK" or "FOREIGN" or "LIKE" or "EXCLUDE") || Tokens[i - 1].Upper == "TYPE" && Starts("ALTER", "TABLE"))
                yield return i;
        }
    }

    /// <summary>The type name starting at <paramref name="i"/>, upper-cased, its schema (pg_catalog.int4) left out.</summary>
    public string TypeNameAt(int i) => IsPunctuation(i + 1, ".") && IsName(i + 2) ? Tokens[i + 2].Upper : Tokens[i].Upper;

    /// <summary>The index just after the type name starting at <paramref name="i"/> and its modifiers, e.g. varchar(20) or timestamp(3).</summary>
    public int AfterTypeName(int i)
    {
        i += IsPunctuation(i + 1, ".") ? 3 : 1;
        if (Tokens[i - 1].Upper is "CHARACTER" or "DOUBLE" && IsName(i)) i++;   // character varying, double precision
        if (IsPunctuation(i, "("))
            while (i < Tokens.Count && Tokens[i++].Upper != ")") { }
        return i;
    }

    /// <summary>The columns an INSERT's column list or an UPDATE's (or ON CONFLICT's) SET assigns, with where each is named.</summary>
    public IEnumerable<(string Name, int Index)> AssignedColumns()
    {
        if (Starts("INSERT") && NameIndexAfter("INTO") is var into and >= 0)
        {
            var i = into + (IsPunctuation(into + 1, ".") ? 3 : 1);
            if (Tokens.Count > i && Tokens[i].Upper == "AS") i += 2;
            if (IsPunctuation(i, "("))
                for (i++; i < Tokens.Count && !IsPunctuation(i, ")"); i++)
                    if (IsName(i)) yield return (NameAt(i)!, i);
        }
        var set = Starts("UPDATE") ? Find(0, "SET") : Find(0, "DO", "UPDATE", "SET") is var d and >= 0 ? d + 2 : -1;
        if (set < 0) yield break;
        var depth = 0;
        var expectTarget = true;
        for (var i = set + 1; i < Tokens.Count; i++)
        {
            var word = Tokens[i].Upper;
            if (depth == 0 && word is "WHERE" or "FROM" or "RETURNING") yield break;
            if (expectTarget)
            {
                if (IsPunctuation(i, "("))
                    for (i++; i < Tokens.Count && !IsPunctuation(i, ")"); i++) { if (IsName(i)) yield return (NameAt(i)!, i); }
                else if (IsName(i)) yield return (NameAt(i)!, i);
                expectTarget = false;
                continue;
            }
            if (word == "(") depth++;
            else if (word == ")") depth--;
            else if (word == "," && depth == 0) expectTarget = true;
        }
    }

    /// <summary>The table an ALTER TABLE, CREATE INDEX ... ON, or similar statement works on.</summary>
    public string? Table => Starts("ALTER", "TABLE") ? NameAfter("ALTER", "TABLE")
        : Has("ON") && (Starts("CREATE", "INDEX") || Starts("CREATE", "UNIQUE", "INDEX")) ? NameAfter("ON")
        : null;
}

internal readonly record struct LintToken(SqlToken Token, string Text, string Upper);
