namespace SchemaOps;

public enum LintSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>One problem in a migration script: where, which rule, how bad, why, and the safe rewrite when there is one.</summary>
public sealed class LintFinding
{
    public string File { get; init; } = "";
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>squawk's id where the meaning is the same (so -- squawk-ignore comments keep working), else SchemaOps' own.</summary>
    public string RuleId { get; init; } = "";
    public LintSeverity Severity { get; init; }
    public string Message { get; init; } = "";
    public string? Suggestion { get; init; }
    /// <summary>The statement's first line.</summary>
    public string Statement { get; init; } = "";

    public override string ToString() => $"{File}:{Line}:{Column}: {Severity.ToString().ToLowerInvariant()}: {Message} [{RuleId}]";
}
