using System.Text.RegularExpressions;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Sources;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Lint;

public sealed record LintOptions
{
    public int PostgresMajor { get; init; } = 15;
    public MigrationLayout Layout { get; init; } = MigrationLayout.Auto;
    /// <summary>The set will run in group mode (one transaction): CONCURRENTLY fails in it.</summary>
    public bool Group { get; init; }
    /// <summary>Flyway's mixed: a statement that cannot run in a transaction may share a script with other changes.</summary>
    public bool Mixed { get; init; }
    /// <summary>Rules turned off or re-graded (schemaops-lint.json).</summary>
    public LintRuleSettings Rules { get; init; } = LintRuleSettings.Default;
}

/// <summary>
/// Test-MigrationScript: lints folders (as migration sets, in their layout), single files, or text. A set is
/// linted in version order, so the linter knows which tables earlier migrations created (new tables need
/// no CONCURRENTLY), which scripts run inside a transaction, and which have an undo script.
/// </summary>
public static partial class Linter
{
    /// <summary>Every rule id a finding can carry.</summary>
    public static IReadOnlyList<string> RuleIds { get; } =
    [
        .. LintRules.All.Select(r => r.Id), "transaction-nesting", "ban-uncommitted-transaction", "transaction-mode", "syntax-error", "psql-meta-command",
        "unbatched-backfill", "mixed-ddl-dml", "destructive-without-undo", "undo-does-not-reverse",
    ];

    /// <summary>The findings, in file and line order; the sink gets the scan's notes and warnings (the caller reports the findings).</summary>
    public static IReadOnlyList<LintFinding> LintPaths(IReadOnlyList<string> paths, LintOptions options, IOperationSink sink)
    {
        var findings = new List<LintFinding>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) findings.AddRange(LintSet(MigrationLayouts.Scan(options.Layout, [path], new ScanOptions(), sink.WriteVerbose, sink.WriteWarning), options));
            else if (File.Exists(path)) findings.AddRange(LintText(ScriptReader.Read(path, path), path, options));
            else throw new SchemaOpsException(ErrorCatalog.LintPathNotFound, $"{path} does not exist", path);
        }
        return options.Rules.Apply(findings);
    }

    /// <summary>One script on its own: no set around it, so every table counts as existing.</summary>
    public static IReadOnlyList<LintFinding> LintText(string text, string name, LintOptions options) => options.Rules.Apply(
        LintScript(new MigrationScript(MigrationKind.Versioned, null, name, name, name, text, 0, ScriptConfig.Default) { DisplayPath = name }, MigrationLayout.Flyway, [], hasUndo: true, options));

    /// <summary>
    /// The set's findings. <paramref name="inDatabase"/> names scripts already applied to the database being
    /// migrated: the tables they created hold data by now, so later scripts treat them as existing tables
    /// (an index on one needs CONCURRENTLY) rather than as new ones created earlier in the set.
    /// </summary>
    internal static List<LintFinding> LintSet(ScannedMigrations set, LintOptions options, Func<MigrationScript, bool>? inDatabase = null)
    {
        var findings = new List<LintFinding>();
        var newTables = new HashSet<string>(StringComparer.Ordinal);
        var undo = set.Scripts.Where(s => s.Kind == MigrationKind.Undo).ToDictionary(s => s.Version!);
        var createdBy = new Dictionary<MigrationVersion, List<string>>();
        foreach (var script in set.Scripts.Where(s => s.Kind == MigrationKind.Versioned).OrderBy(s => s.Version).Concat(set.Scripts.Where(s => s.Kind == MigrationKind.Repeatable)))
        {
            var before = newTables.ToHashSet();
            findings.AddRange(LintScript(script, set.Layout, newTables, hasUndo: script.Kind != MigrationKind.Versioned || undo.ContainsKey(script.Version!), options));
            var created = newTables.Except(before).ToList();
            if (script.Version is not null) createdBy[script.Version] = created;
            if (inDatabase?.Invoke(script) == true) newTables.ExceptWith(created);
        }
        foreach (var (version, script) in undo)
        {
            var dropped = new HashSet<string>(StringComparer.Ordinal);
            findings.AddRange(LintScript(script, set.Layout, newTables, hasUndo: true, options, dropped));
            // A down that leaves behind a table its up created does not undo it (seen statically; columns and the rest need a rehearsal).
            foreach (var table in createdBy.GetValueOrDefault(version, []).Where(t => !dropped.Contains(t)))
                findings.Add(new LintFinding
                {
                    File = script.DisplayPath, Line = script.FirstLine, Column = 1, RuleId = "undo-does-not-reverse", Severity = LintSeverity.Warning,
                    Message = $"the migration it undoes creates table {table}, which this script never drops", Suggestion = $"DROP TABLE IF EXISTS {table};", Statement = "",
                });
        }
        return findings;
    }

    private static IEnumerable<string> DroppedTables(LintStatement s)
    {
        var i = s.Find(0, "DROP", "TABLE") + 2;
        while (i < s.Tokens.Count && s.Tokens[i].Upper is "IF" or "EXISTS") i++;
        while (i < s.Tokens.Count && s.NameAt(i) is { } name)
        {
            yield return name;
            while (i < s.Tokens.Count && s.Tokens[i].Upper != ",") i++;
            i++;
        }
    }

    /// <summary>The script's findings; <paramref name="newTables"/> gains the tables it creates, <paramref name="droppedTables"/> (when given) those it drops.</summary>
    private static List<LintFinding> LintScript(MigrationScript script, MigrationLayout layout, HashSet<string> newTables, bool hasUndo, LintOptions options,
        HashSet<string>? droppedTables = null)
    {
        var findings = new List<LintFinding>();
        var file = script.DisplayPath;
        LintFinding Finding(string rule, LintSeverity severity, int line, int column, string message, string? suggestion, string statement) => new()
        {
            File = file, Line = line, Column = column, RuleId = rule, Severity = severity, Message = message, Suggestion = suggestion, Statement = statement,
        };

        IReadOnlyList<SqlStatement> statements;
        List<SqlToken> tokens;
        try
        {
            tokens = SqlLexer.Tokenize(script.Text, file, script.FirstLine);
            statements = SqlSplitter.Split(script.Text, tokens, file);
        }
        catch (SchemaOpsException e)
        {
            // Never silently skipped: text the splitter cannot read is a finding of its own.
            var rule = e.Kind == ErrorCatalog.PsqlMetaCommand ? "psql-meta-command" : "syntax-error";
            return [Finding(rule, LintSeverity.Error, e.Line ?? script.FirstLine, 1, e.Message, null, "")];
        }

        var (fileIgnores, ignoreAll) = FileSuppressions(tokens, script.Text);
        PreparedScript? prepared = null;
        var controlRefused = false; // the runner refuses the script's transaction control: each such statement is an error below
        try
        {
            prepared = PreparedScript.Prepare(script, statements, options.PostgresMajor * 10000, options.Mixed);
        }
        catch (SchemaOpsException e) when (e.Kind == ErrorCatalog.TransactionControlInScript)
        {
            controlRefused = true;
        }
        catch (SchemaOpsException e)
        {
            // What the runner refuses is an error here, under the rule that names it.
            var rule = e.Kind == ErrorCatalog.UnclosedTransaction ? "ban-uncommitted-transaction" : "transaction-mode";
            if (!ignoreAll && !fileIgnores.Contains(rule)) findings.Add(Finding(rule, LintSeverity.Error, e.Line ?? script.FirstLine, 1, e.Message, null, ""));
        }
        var inTransaction = prepared?.InTransaction ?? false;
        var wrapped = PreparedScript.WrapsItself(statements);
        var context = new LintContext
        {
            InTransaction = inTransaction, PostgresMajor = options.PostgresMajor, IsUndo = script.Kind == MigrationKind.Undo,
            ForcedTransaction = wrapped ? "the script wraps itself in BEGIN ... COMMIT"
                : options.Group ? "group mode runs every migration in one transaction"
                : layout == MigrationLayout.Dbmate && script.Config.ExecuteInTransaction is null ? "dbmate runs this section in a transaction (add transaction:false to its -- migrate:up line)"
                : null,
        };
        foreach (var t in newTables) context.NewTables.Add(t);

        var previousEnd = 0;
        var commentsSeen = 0; // tokens before here were looked at for the statements before: each token once (a file of 20,000 INSERTs took 38 s)
        var transactionDepth = 0;
        var hasDdl = false;
        var dml = new List<LintStatement>();
        var destructive = new List<LintStatement>();
        foreach (var statement in statements)
        {
            var s = new LintStatement(statement, script.Text);
            var ignored = StatementSuppressions(tokens, script.Text, previousEnd, statement.Offset, ref commentsSeen);
            previousEnd = statement.Offset + statement.Text.Length;
            bool Suppressed(string rule) => ignoreAll || fileIgnores.Contains(rule) || ignored.Contains(rule) || ignored.Contains("*");

            foreach (var rule in LintRules.All)
            {
                if (Suppressed(rule.Id)) continue;
                foreach (var hit in rule.Check(s, context))
                {
                    var at = s.Tokens.Count > hit.TokenIndex ? s.Tokens[hit.TokenIndex].Token : statement.Tokens[0];
                    findings.Add(Finding(rule.Id, rule.Severity, at.Line, at.Column, hit.Message, hit.Suggestion, s.FirstLine));
                }
            }

            if (TransactionRules.IsTransactionStart(statement) || TransactionRules.IsTransactionEnd(statement))
            {
                var nested = TransactionRules.IsTransactionStart(statement) && transactionDepth > 0;
                transactionDepth = TransactionRules.IsTransactionStart(statement) ? transactionDepth + 1 : Math.Max(0, transactionDepth - 1);
                // One BEGIN ... COMMIT around the whole script is stripped and run inside SchemaOps' transaction: fine.
                // Inside SchemaOps' transaction any other is refused by the runner: an error at each, as squawk reports
                // each. A script run as written (no transaction of ours) commits part-way, apart from its history row.
                if ((nested || !wrapped) && (prepared is not null || controlRefused) && !Suppressed("transaction-nesting"))
                    findings.Add(Finding("transaction-nesting", nested || controlRefused ? LintSeverity.Error : LintSeverity.Warning, statement.Line, 1,
                        controlRefused
                            ? $"{PreparedScript.Keyword(statement)} controls the transaction the migration runs in; inside SchemaOps' transaction it would not mean what it says " +
                              "(a ROLLBACK would not undo, a COMMIT would split the migration from its history row), so the script is refused"
                            : nested
                            ? "BEGIN inside a transaction that is already open (PostgreSQL ignores it with a warning; the COMMIT that follows ends the outer one)"
                            : "the script manages its own transactions, so it runs without SchemaOps': a failure after a COMMIT leaves it half applied, its history row written apart",
                        controlRefused
                            ? "remove it and let SchemaOps run the migration in one transaction, or run the script as written: executeInTransaction=false in its .sql.conf (Flyway layout) or transaction:false on its -- migrate:up/down line (dbmate layout)"
                            : "one migration per transaction, without BEGIN/COMMIT: SchemaOps wraps each in its own, with its history row", s.FirstLine));
            }

            // Bookkeeping for the set: tables this script creates are new from here on.
            if (s.Starts("CREATE", "TABLE") || s.Starts("CREATE", "UNLOGGED", "TABLE"))
            {
                if (s.NameAfter("TABLE") is { } created) context.NewTables.Add(created);
            }
            else if (s.Starts("CREATE") || s.Starts("ALTER") || s.Starts("DROP")) hasDdl = true;
            if ((s.Starts("INSERT") || s.Starts("UPDATE") || s.Starts("DELETE")) && !context.IsNew(DmlTable(s))) dml.Add(s);
            if (s.Starts("DROP", "TABLE")) droppedTables?.UnionWith(DroppedTables(s));
            if (s.Starts("DROP", "TABLE") || s.Starts("TRUNCATE") || s.Starts("ALTER", "TABLE") && s.Has("DROP", "COLUMN")) destructive.Add(s);
            if ((s.Starts("UPDATE") || s.Starts("DELETE")) && !s.Has("WHERE") && !context.IsNew(DmlTable(s)) && !Suppressed("unbatched-backfill"))
                findings.Add(Finding("unbatched-backfill", LintSeverity.Warning, statement.Line, 1,
                    $"{s.Tokens[0].Upper} of every row of {DmlTable(s)} in one transaction locks them all and bloats the table",
                    "batch it: UPDATE ... WHERE id IN (SELECT id ... LIMIT 10000) in a loop, in a migration without a transaction", s.FirstLine));
        }
        foreach (var t in context.NewTables) newTables.Add(t);

        if (hasDdl && dml.Count > 0 && !ignoreAll && !fileIgnores.Contains("mixed-ddl-dml"))
            findings.Add(Finding("mixed-ddl-dml", LintSeverity.Warning, dml[0].Statement.Line, 1,
                "this migration changes the schema of existing tables and their data: one failure or lock takes both down, and neither can be retried alone",
                "move the data change to a migration of its own", dml[0].FirstLine));
        if (!hasUndo && destructive.Count > 0 && !ignoreAll && !fileIgnores.Contains("destructive-without-undo"))
            findings.Add(Finding("destructive-without-undo", LintSeverity.Warning, destructive[0].Statement.Line, 1,
                "this migration destroys data or schema and has no undo script: there is no way back short of a restore", "add an undo script (U file, down section or .down.sql), and take a backup first", destructive[0].FirstLine));
        return findings.OrderBy(f => f.Line).ThenBy(f => f.Column).ToList();
    }

    private static string? DmlTable(LintStatement s) => s.Starts("INSERT") ? s.NameAfter("INTO") : s.Starts("UPDATE") ? s.NameAfter("UPDATE") : s.NameAfter("FROM");

    [GeneratedRegex(@"^--\s*(squawk|schemaops)-ignore(-file)?\b\s*(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex IgnoreComment();

    /// <summary>`-- squawk-ignore-file [rules]` or `-- schemaops-ignore-file [rules]` anywhere: no rules means all.</summary>
    private static (HashSet<string> Rules, bool All) FileSuppressions(List<SqlToken> tokens, string text)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var all = false;
        foreach (var t in tokens.Where(t => t.Kind == SqlTokenKind.LineComment))
            if (IgnoreComment().Match(t.TextIn(text).Trim()) is { Success: true } m && m.Groups[2].Success)
            {
                var listed = Rules(m.Groups[3].Value);
                if (listed.Count == 0) all = true;
                rules.UnionWith(listed);
            }
        return (rules, all);
    }

    /// <summary>
    /// `-- squawk-ignore rule[, rule]` in the comments right before a statement (between <paramref name="from"/> and
    /// <paramref name="to"/>); no rules means all. Tokens are read from <paramref name="next"/> on, which moves past them.
    /// </summary>
    private static HashSet<string> StatementSuppressions(List<SqlToken> tokens, string text, int from, int to, ref int next)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        for (; next < tokens.Count && tokens[next].Offset < to; next++)
            if (tokens[next] is { Kind: SqlTokenKind.LineComment } t && t.Offset >= from
                && IgnoreComment().Match(t.TextIn(text).Trim()) is { Success: true } m && !m.Groups[2].Success)
            {
                var listed = Rules(m.Groups[3].Value);
                if (listed.Count == 0) rules.Add("*");
                rules.UnionWith(listed);
            }
        return rules;
    }

    private static List<string> Rules(string text) => text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
