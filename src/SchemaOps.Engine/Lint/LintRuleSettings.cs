using SchemaOps.Engine.Configuration;

namespace SchemaOps.Engine.Lint;

/// <summary>
/// A team's choices about rules, from schemaops-lint.json: `{ "rules": { "ban-char-field": "off",
/// "prefer-robust-stmts": "error" } }`. Each rule is off, info, warning or error; unknown rules and values
/// are refused with file and line, since a misspelt rule id would silently change nothing.
/// </summary>
public sealed class LintRuleSettings
{
    /// <summary>Looked for in the working directory when no file is named.</summary>
    public const string FileName = "schemaops-lint.json";

    private readonly Dictionary<string, LintSeverity?> _rules;

    private LintRuleSettings(Dictionary<string, LintSeverity?> rules) => _rules = rules;

    public static readonly LintRuleSettings Default = new([]);

    /// <summary>The named file, else schemaops-lint.json in <paramref name="workingDirectory"/>, else the defaults.</summary>
    public static LintRuleSettings Load(string? path, string workingDirectory)
    {
        var file = path is not null ? Path.GetFullPath(path, workingDirectory) : Path.Combine(workingDirectory, FileName);
        if (!File.Exists(file))
            return path is null ? Default : throw new SchemaOpsException(ErrorCatalog.LintConfigNotFound, $"lint rule file {file} does not exist", file);
        var rules = new Dictionary<string, LintSeverity?>(StringComparer.Ordinal);
        foreach (var entry in JsonConfigReader.Read(file, File.ReadAllBytes(file)))
        {
            var (where, line) = (entry.Value.File, entry.Value.Line);
            if (entry.Path.Count != 2 || entry.Path[0] != "rules")
                throw Errors.Input(ErrorCatalog.InvalidLintConfig, $"{where}:{line}: '{string.Join('.', entry.Path)}' is not a setting: write {{ \"rules\": {{ \"<rule>\": \"off|info|warning|error\" }} }}", where, line);
            var rule = entry.Path[1];
            if (!Linter.RuleIds.Contains(rule))
                throw Errors.Input(ErrorCatalog.UnknownLintRule, $"{where}:{line}: unknown rule '{rule}' (see Test-MigrationScript's help for the list)", where, line);
            var value = entry.Value.AsString(rule).ToLowerInvariant();
            rules[rule] = value == "off" ? null
                : LintSeverityNames.TryParse(value) is { } severity ? severity
                : throw entry.Value.Invalid(rule, "off, info, warning or error");
        }
        return new LintRuleSettings(rules);
    }

    /// <summary>These settings with one more rule set (turned on at that severity, or off with null): for callers that build settings in code.</summary>
    public LintRuleSettings With(string rule, LintSeverity? severity) => Linter.RuleIds.Contains(rule)
        ? new LintRuleSettings(new Dictionary<string, LintSeverity?>(_rules, StringComparer.Ordinal) { [rule] = severity })
        : throw new ArgumentException($"unknown rule '{rule}'", nameof(rule));

    /// <summary>The findings with rules turned off (or opt-in and not turned on) dropped and re-graded ones at their new severity.</summary>
    public List<LintFinding> Apply(IEnumerable<LintFinding> findings) => findings
        .Where(f => _rules.TryGetValue(f.RuleId, out var s) ? s is not null : !LintRules.OptInIds.Contains(f.RuleId))
        .Select(f => _rules.TryGetValue(f.RuleId, out var s) && s is { } severity && severity != f.Severity
            ? new LintFinding { File = f.File, Line = f.Line, Column = f.Column, RuleId = f.RuleId, Severity = severity, Message = f.Message, Suggestion = f.Suggestion, Statement = f.Statement }
            : f)
        .ToList();
}
