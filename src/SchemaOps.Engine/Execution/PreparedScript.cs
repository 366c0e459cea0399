using SchemaOps.Engine.Sources;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Execution;

/// <summary>A script split into statements, with the decision whether it runs inside a transaction.</summary>
public sealed record PreparedScript(MigrationScript Script, IReadOnlyList<SqlStatement> Statements, bool InTransaction, string? NoTransactionReason)
{
    /// <summary>
    /// Splits the script (unterminated strings/comments are errors naming file:line) and decides its
    /// transaction mode: the .sql.conf setting wins; otherwise a statement PostgreSQL refuses inside a
    /// transaction makes the whole script run statement by statement without one.
    /// </summary>
    public static PreparedScript Prepare(MigrationScript script, int serverVersionNum)
    {
        var statements = SqlSplitter.Split(script.Text, script.DisplayPath, script.FirstLine);
        var offending = statements.Select(s => (Statement: s, Reason: TransactionRules.NonTransactionalReason(s, serverVersionNum)))
                                  .FirstOrDefault(x => x.Reason is not null);
        if (script.Config.ExecuteInTransaction == true && offending.Reason is not null)
            throw Errors.InvalidData("StatementNeedsNoTransaction",
                $"{script.DisplayPath}:{offending.Statement.Line}: {offending.Reason} cannot run inside a transaction, but {script.DisplayPath}.conf sets executeInTransaction=true",
                script.DisplayPath, offending.Statement.Line, script.Version?.Text);
        var reason = script.Config.ExecuteInTransaction == false ? "executeInTransaction=false in its .sql.conf"
            : offending.Reason is not null ? $"{offending.Reason} at line {offending.Statement.Line}" : null;
        return new PreparedScript(script, statements, reason is null, reason);
    }
}
