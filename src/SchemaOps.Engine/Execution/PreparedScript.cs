using SchemaOps.Engine.Sources;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Execution;

/// <summary>A script split into statements, with the decision whether it runs inside a transaction.</summary>
public sealed record PreparedScript(MigrationScript Script, IReadOnlyList<SqlStatement> Statements, bool InTransaction, string? NoTransactionReason)
{
    /// <summary>Whether the script changes its session beyond its transaction (<see cref="SessionRules"/>): the runner then puts the session back after it.</summary>
    public bool ChangesSession { get; } = Statements.Any(SessionRules.ChangesSession);

    /// <summary>
    /// Splits the script (unterminated strings/comments are errors naming file:line) and decides its
    /// transaction mode: the .sql.conf setting wins; otherwise a statement PostgreSQL refuses inside a
    /// transaction makes the whole script run statement by statement without one. Such a statement beside other
    /// changes is refused unless <paramref name="mixed"/> (Flyway's mixed): run without a transaction, a failure
    /// part-way would leave the changes before it applied.
    /// The script's own transaction control never has its meaning changed. A bare BEGIN ... COMMIT around the
    /// whole script (common in golang-migrate files) runs inside ours without the pair: the same commit, now
    /// with its history row. Any other control (a ROLLBACK, a COMMIT part-way, a savepoint) runs as written
    /// when the script runs without our transaction anyway, and is refused when it would run inside it.
    /// </summary>
    public static PreparedScript Prepare(MigrationScript script, int serverVersionNum, bool mixed)
    {
        if (script.PlaceholderProblem is { } problem) throw problem;
        return Prepare(script, SqlSplitter.Split(script.Text, script.DisplayPath, script.FirstLine), serverVersionNum, mixed);
    }

    /// <summary>The same, for a script already split (the linter splits once for its rules and this decision).</summary>
    internal static PreparedScript Prepare(MigrationScript script, IReadOnlyList<SqlStatement> statements, int serverVersionNum, bool mixed)
    {
        var control = statements.Where(TransactionRules.IsTransactionControl).ToList();
        var wrapped = WrapsItself(statements);
        if (wrapped)
        {
            statements = statements.Skip(1).SkipLast(1).ToList();
            control.Clear();
        }
        else if (control.LastOrDefault(s => TransactionRules.IsTransactionStart(s) || TransactionRules.IsTransactionEnd(s)) is { } last
                 && TransactionRules.IsTransactionStart(last))
            // Run without ours, the script would leave its last transaction open and the history write inside it.
            throw Errors.Input(ErrorCatalog.UnclosedTransaction,
                $"{script.DisplayPath}:{last.Line}: {Keyword(last)} opens a transaction that the script never closes: end it with COMMIT",
                script.DisplayPath, last.Line, script.Version?.Text);

        var offending = statements.Select(s => (Statement: s, Reason: TransactionRules.NonTransactionalReason(s, serverVersionNum))).FirstOrDefault(x => x.Reason is not null);
        if (script.Config.ExecuteInTransaction == true && offending.Reason is not null)
            throw Errors.Input(ErrorCatalog.StatementNeedsNoTransaction,
                $"{script.DisplayPath}:{offending.Statement.Line}: {offending.Reason} cannot run inside a transaction, but {script.DisplayPath}.conf sets executeInTransaction=true",
                script.DisplayPath, offending.Statement.Line, script.Version?.Text);
        if (wrapped && offending.Reason is not null)
            // Run statement by statement, a script written as one transaction could stop half applied.
            throw Errors.Input(ErrorCatalog.StatementNeedsNoTransaction,
                $"{script.DisplayPath}:{offending.Statement.Line}: {offending.Reason} cannot run inside a transaction, but the script wraps itself in BEGIN ... COMMIT: "
                + "remove the BEGIN and COMMIT to run it statement by statement, or move the statement to a migration of its own",
                script.DisplayPath, offending.Statement.Line, script.Version?.Text);
        if (!mixed && offending.Reason is not null && script.Config.ExecuteInTransaction is null && control.Count == 0
            && statements.FirstOrDefault(s => !ReadsOrSetsOnly(s) && TransactionRules.NonTransactionalReason(s, serverVersionNum) is null) is { } change)
            throw Errors.Input(ErrorCatalog.MixedTransactionMode,
                $"{script.DisplayPath}:{offending.Statement.Line}: {offending.Reason} cannot run inside a transaction, and the script also changes other things " +
                $"({string.Join(' ', change.Words.Take(2))} at line {change.Line}): run without a transaction, a failure part-way would leave those applied. Nothing was run. " +
                "Move the statement to a migration of its own, or run the script without a transaction on purpose: executeInTransaction=false in its .sql.conf " +
                "(Flyway layout), transaction:false on its -- migrate:up/down line (dbmate), or mixed=true as Flyway allows it (config, FLYWAY_MIXED, --mixed, -Mixed)",
                script.DisplayPath, offending.Statement.Line, script.Version?.Text);
        var reason = script.Config.ExecuteInTransaction == false ? "executeInTransaction=false in its .sql.conf"
            : offending.Reason is not null ? $"{offending.Reason} at line {offending.Statement.Line}"
            : control.Count > 0 && script.Config.ExecuteInTransaction is null && script.Config.OwnTransactionControlRunsAsWritten
                ? $"its own transaction control ({Keyword(control[0])} at line {control[0].Line})"
            : null;
        if (control.Count > 0 && reason is null)
            throw Errors.Input(ErrorCatalog.TransactionControlInScript,
                $"{script.DisplayPath}:{control[0].Line}: {Keyword(control[0])} controls the transaction the migration runs in, and inside "
                + "SchemaOps' transaction it would not mean what it says (a ROLLBACK would not undo, a COMMIT would split the migration from its history row). "
                + "Remove it and let SchemaOps run the migration in one transaction, or run the script as written without one: "
                + "executeInTransaction=false in its .sql.conf (Flyway layout) or transaction:false on its -- migrate:up/down line (dbmate layout)",
                script.DisplayPath, control[0].Line, script.Version?.Text);
        return new PreparedScript(script, statements, reason is null, reason);
    }

    /// <summary>
    /// Whether the script is one bare BEGIN ... COMMIT around the rest and holds no other transaction control:
    /// the pair that is removed so the script runs inside SchemaOps' transaction, meaning the same.
    /// </summary>
    public static bool WrapsItself(IReadOnlyList<SqlStatement> statements) =>
        statements.Count >= 2 && TransactionRules.IsPlainTransactionStart(statements[0]) && TransactionRules.IsPlainCommit(statements[^1])
        && statements.Count(TransactionRules.IsTransactionControl) == 2;

    /// <summary>
    /// A statement that changes nothing a failure later in the script would leave behind: session settings
    /// (SET lock_timeout before a CREATE INDEX CONCURRENTLY is the usual companion) and SHOW.
    /// </summary>
    private static bool ReadsOrSetsOnly(SqlStatement s) => s.Words.Count > 0 && s.Words[0] is "SET" or "RESET" or "SHOW";

    /// <summary>"START TRANSACTION", "PREPARE TRANSACTION", else the first word: how messages name a control statement.</summary>
    internal static string Keyword(SqlStatement s) => s.Words.Count > 1 && s.Words[1] == "TRANSACTION" ? $"{s.Words[0]} TRANSACTION" : s.Words[0];
}
