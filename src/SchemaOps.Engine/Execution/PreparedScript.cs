using SchemaOps.Engine.Sources;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Execution;

/// <summary>A script split into statements, with the decision whether it runs inside a transaction.</summary>
public sealed record PreparedScript(MigrationScript Script, IReadOnlyList<SqlStatement> Statements, bool InTransaction, string? NoTransactionReason)
{
    /// <summary>
    /// Splits the script (unterminated strings/comments are errors naming file:line) and decides its
    /// transaction mode: the .sql.conf setting wins; otherwise a statement PostgreSQL refuses inside a
    /// transaction makes the whole script run statement by statement without one. A script wrapped in its
    /// own BEGIN ... COMMIT (common in golang-migrate files) runs inside ours without them, so its history
    /// change stays in the same transaction; any other explicit transaction control means the script
    /// manages its transactions itself and runs without ours.
    /// </summary>
    public static PreparedScript Prepare(MigrationScript script, int serverVersionNum)
    {
        if (script.PlaceholderProblem is { } problem) throw problem;
        return Prepare(script, SqlSplitter.Split(script.Text, script.DisplayPath, script.FirstLine), serverVersionNum);
    }

    /// <summary>The same, for a script already split (the linter splits once for its rules and this decision).</summary>
    internal static PreparedScript Prepare(MigrationScript script, IReadOnlyList<SqlStatement> statements, int serverVersionNum)
    {
        var control = statements.Where(s => TransactionRules.IsTransactionStart(s) || TransactionRules.IsTransactionEnd(s)).ToList();
        if (control.Count == 2 && control[0] == statements[0] && TransactionRules.IsTransactionStart(statements[0]) && control[1] == statements[^1])
            statements = statements.Skip(1).SkipLast(1).ToList();
        else if (control.Count > 0 && TransactionRules.IsTransactionStart(control[^1]))
            // Run without ours, the script would leave its last transaction open and the history write inside it.
            throw Errors.InvalidData("UnclosedTransaction",
                $"{script.DisplayPath}:{control[^1].Line}: {control[^1].Words[0]} opens a transaction that the script never closes: end it with COMMIT",
                script.DisplayPath, control[^1].Line, script.Version?.Text);
        var offending = statements.Select(s => (Statement: s, Reason: NonTransactionalReason(s, serverVersionNum))).FirstOrDefault(x => x.Reason is not null);
        if (script.Config.ExecuteInTransaction == true && offending.Reason is not null)
            throw Errors.InvalidData("StatementNeedsNoTransaction",
                $"{script.DisplayPath}:{offending.Statement.Line}: {offending.Reason} cannot run inside a transaction, but {script.DisplayPath}.conf sets executeInTransaction=true",
                script.DisplayPath, offending.Statement.Line, script.Version?.Text);
        var reason = script.Config.ExecuteInTransaction == false ? "executeInTransaction=false in its .sql.conf"
            : offending.Reason is not null ? $"{offending.Reason} at line {offending.Statement.Line}" : null;
        return new PreparedScript(script, statements, reason is null, reason);
    }

    private static string? NonTransactionalReason(SqlStatement s, int serverVersionNum) =>
        TransactionRules.IsTransactionStart(s) || TransactionRules.IsTransactionEnd(s) ? $"its own transaction control ({s.Words[0]})"
        : TransactionRules.NonTransactionalReason(s, serverVersionNum);
}
