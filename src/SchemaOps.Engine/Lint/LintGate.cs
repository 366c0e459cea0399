using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Lint;

/// <summary>
/// Invoke-Migration -LintLevel: the pending migrations are linted (within their whole set) before anything
/// runs. The set's other scripts are in the database already (or will not run): their tables count as existing.
/// </summary>
internal static class LintGate
{
    public static void Check(MigrationSession session, IReadOnlyList<PreparedScript> plan, bool group, LintSeverity level, LintRuleSettings rules)
    {
        var options = new LintOptions { PostgresMajor = session.ServerVersionNum / 10000, Layout = session.Layout, Group = group, Mixed = session.Mixed };
        var pending = plan.Select(p => p.Script.DisplayPath).ToHashSet(StringComparer.Ordinal);
        var blocking = rules.Apply(Linter.LintSet(new ScannedMigrations(session.Layout, session.Scripts), options, inDatabase: s => !pending.Contains(s.DisplayPath)))
            .Where(f => f.Severity >= level && pending.Contains(f.File)).ToList();
        if (blocking.Count == 0) return;
        throw new SchemaOpsException(ErrorCatalog.LintFailed,
            $"nothing was applied: the pending migrations have {blocking.Count} lint finding(s) at {level.ToString().ToLowerInvariant()} or above:\n  " +
            string.Join("\n  ", blocking.Select(f => $"{f.File}:{f.Line}:{f.Column}: {f.Severity.ToString().ToLowerInvariant()}: {f.Message} [{f.RuleId}]")) +
            "\nfix them, suppress them with -- squawk-ignore <rule> where they are intended, or lower -LintLevel / --lint-level",
            blocking[0].File, blocking[0].Line);
    }
}
