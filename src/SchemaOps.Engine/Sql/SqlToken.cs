namespace SchemaOps.Engine.Sql;

public enum SqlTokenKind
{
    Word,          // unquoted identifier or keyword (also numbers and $n parameters)
    QuotedIdentifier,
    String,        // '...', E'...', and prefixed forms
    DollarString,  // $tag$...$tag$
    LineComment,
    BlockComment,
    Punctuation,   // any other single character, including ';', '(' and ')'
    CopyData,      // the lines after COPY ... FROM STDIN; up to (not including) the \. line that ends them
    MetaCommand,   // a psql backslash command and its arguments, to the end of the line (\restrict KEY, \i file.sql)
}

/// <summary>One lexical token; Offset/Length index the script text, Line/Column are 1-based.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, int Offset, int Length, int Line, int Column)
{
    public bool IsComment => Kind is SqlTokenKind.LineComment or SqlTokenKind.BlockComment;
    public string TextIn(string script) => script.Substring(Offset, Length);
}
