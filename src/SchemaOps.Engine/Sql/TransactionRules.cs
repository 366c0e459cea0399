namespace SchemaOps.Engine.Sql;

/// <summary>Which statements PostgreSQL refuses to run inside a transaction block.</summary>
public static class TransactionRules
{
    /// <summary>Why the statement cannot run in a transaction, or null when it can.</summary>
    public static string? NonTransactionalReason(SqlStatement s, int serverVersionNum = 150000)
    {
        var w = s.Words;
        if (w.Count == 0) return null;
        bool Has(string word) => w.Contains(word);
        string? reason = w[0] switch
        {
            "CREATE" or "DROP" when w.Count > 1 && w[1] is "DATABASE" or "TABLESPACE" or "SUBSCRIPTION" => $"{w[0]} {w[1]}",
            "CREATE" when s.StartsWith("CREATE", "INDEX", "CONCURRENTLY") || s.StartsWith("CREATE", "UNIQUE", "INDEX", "CONCURRENTLY") => "CREATE INDEX CONCURRENTLY",
            "DROP" when s.StartsWith("DROP", "INDEX", "CONCURRENTLY") => "DROP INDEX CONCURRENTLY",
            "REINDEX" when Has("CONCURRENTLY") => "REINDEX CONCURRENTLY",
            "REINDEX" when Has("SCHEMA") || Has("DATABASE") || Has("SYSTEM") => "REINDEX SCHEMA/DATABASE/SYSTEM",
            "VACUUM" => "VACUUM",
            "ALTER" when s.StartsWith("ALTER", "SYSTEM") => "ALTER SYSTEM",
            "DISCARD" when s.StartsWith("DISCARD", "ALL") => "DISCARD ALL",
            "ALTER" when s.StartsWith("ALTER", "TYPE") && IsSequence(w, "ADD", "VALUE") && serverVersionNum < 120000 => "ALTER TYPE ... ADD VALUE (before PostgreSQL 12)",
            "ALTER" when s.StartsWith("ALTER", "TABLE") && IsSequence(w, "DETACH", "PARTITION") && Has("CONCURRENTLY") => "DETACH PARTITION ... CONCURRENTLY",
            _ => null,
        };
        return reason;
    }

    /// <summary>Whether the statement opens a transaction block (BEGIN, START TRANSACTION).</summary>
    public static bool IsTransactionStart(SqlStatement s) => s.StartsWith("BEGIN") || s.StartsWith("START", "TRANSACTION");

    /// <summary>Whether the statement ends a transaction block (COMMIT, END, ROLLBACK, ABORT; not ROLLBACK TO a savepoint).</summary>
    public static bool IsTransactionEnd(SqlStatement s) =>
        s.Words.Count > 0 && s.Words[0] is "COMMIT" or "END" or "ABORT" || s.StartsWith("ROLLBACK") && !s.Words.Contains("TO");

    /// <summary>
    /// Whether the statement controls the transaction it runs in: starts or ends one, or works with savepoints
    /// or two-phase commit. Inside SchemaOps' transaction any of these changes what the script means.
    /// </summary>
    public static bool IsTransactionControl(SqlStatement s) =>
        IsTransactionStart(s) || IsTransactionEnd(s) || s.StartsWith("ROLLBACK") || s.StartsWith("SAVEPOINT") || s.StartsWith("RELEASE")
        || s.StartsWith("PREPARE", "TRANSACTION");

    /// <summary>A bare BEGIN / START TRANSACTION: no isolation level or access mode that dropping it would change.</summary>
    public static bool IsPlainTransactionStart(SqlStatement s) =>
        s.Words is ["BEGIN"] or ["BEGIN", "WORK" or "TRANSACTION"] or ["START", "TRANSACTION"];

    /// <summary>A bare COMMIT / END: not ROLLBACK (which undoes the work), not AND CHAIN or COMMIT PREPARED.</summary>
    public static bool IsPlainCommit(SqlStatement s) =>
        s.Words is ["COMMIT" or "END"] or ["COMMIT" or "END", "WORK" or "TRANSACTION"];

    private static bool IsSequence(IReadOnlyList<string> words, string a, string b)
    {
        for (var i = 0; i + 1 < words.Count; i++)
            if (words[i] == a && words[i + 1] == b) return true;
        return false;
    }
}
