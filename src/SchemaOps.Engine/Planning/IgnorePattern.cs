namespace SchemaOps.Engine.Planning;

/// <summary>A Flyway ignoreMigrationPatterns entry: `type:state`, type * | versioned | repeatable, state * | missing | pending | ignored | future.</summary>
public sealed record IgnorePattern(string Type, string State)
{
    private static readonly string[] Types = ["*", "versioned", "repeatable"];
    private static readonly string[] States = ["*", "missing", "pending", "ignored", "future"];

    /// <summary>Every valid pattern, for tab completion.</summary>
    public static IEnumerable<string> All => Types.SelectMany(t => States.Select(s => $"{t}:{s}"));

    public static IgnorePattern Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':');
        if (parts.Length != 2 || !Types.Contains(parts[0]) || !States.Contains(parts[1]))
            throw Errors.Parameter(ErrorCatalog.InvalidIgnorePattern,
                $"ignore pattern '{text}' is not type:state (type: *, versioned, repeatable; state: *, missing, pending, ignored, future)", text);
        return new IgnorePattern(parts[0], parts[1]);
    }

    public bool Matches(MigrationKind kind, string state) =>
        (Type == "*" || Type == "versioned" && kind == MigrationKind.Versioned || Type == "repeatable" && kind == MigrationKind.Repeatable)
        && (State == "*" || State == state);
}
