namespace SchemaOps.Engine.Sql;

/// <summary>
/// One statement of a script: its text (from its first token to the token before ';'), where it starts,
/// and its tokens. <see cref="Words"/> are the upper-cased unquoted words outside strings and comments,
/// the only place keywords are looked for.
/// </summary>
public sealed class SqlStatement(string text, int line, int offset, IReadOnlyList<SqlToken> tokens, IReadOnlyList<string> words)
{
    public string Text { get; } = text;
    public int Line { get; } = line;
    public int Offset { get; } = offset;
    public IReadOnlyList<SqlToken> Tokens { get; } = tokens;
    public IReadOnlyList<string> Words { get; } = words;

    /// <summary>For COPY ... FROM STDIN: the data lines that followed it in the script (without the closing \. line).</summary>
    public string? CopyData { get; private init; }

    public SqlStatement WithCopyData(string data) => new(Text, Line, Offset, Tokens, Words) { CopyData = data };

    /// <summary>True when the words start with the given sequence.</summary>
    public bool StartsWith(params string[] words)
    {
        if (Words.Count < words.Length) return false;
        for (var i = 0; i < words.Length; i++)
            if (Words[i] != words[i]) return false;
        return true;
    }

    public override string ToString() => Text;
}
