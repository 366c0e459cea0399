namespace SchemaOps.Engine.Lint;

/// <summary>How severities are written in config, rules files and on the command line: by name only (Enum.TryParse would take "7").</summary>
public static class LintSeverityNames
{
    public static LintSeverity? TryParse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "error" => LintSeverity.Error,
        "warning" => LintSeverity.Warning,
        "info" => LintSeverity.Info,
        _ => null,
    };
}
