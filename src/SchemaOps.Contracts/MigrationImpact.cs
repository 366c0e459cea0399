namespace SchemaOps;

/// <summary>
/// What one statement of a pending migration would do to the live database, before it runs: the lock it takes, the
/// tables it touches with their size now, whether it rewrites or scans them, who would block it right now, and the
/// linter's findings with the safe rewrite.
/// </summary>
public sealed class MigrationImpact
{
    /// <summary>The migration, as info names it (V2 add totals).</summary>
    public string Migration { get; init; } = "";
    public string Script { get; init; } = "";
    public int Line { get; init; }
    /// <summary>The statement's first line.</summary>
    public string Statement { get; init; } = "";
    /// <summary>PostgreSQL's lock mode on the tables (ACCESS EXCLUSIVE, SHARE, ...); empty: none on an existing table.</summary>
    public string LockMode { get; init; } = "";
    /// <summary>What the server does to the tables: catalog only, table scan, table rewrite, index build, row writes, new object, table drop, truncate.</summary>
    public string Work { get; init; } = "";
    /// <summary>The existing tables it locks, schema-qualified.</summary>
    public List<string> Tables { get; init; } = [];
    /// <summary>
    /// Their size on disk now, indexes and TOAST included; null: none exists yet. A table whose lock queue is busy (its size
    /// cannot be read without queueing) is sized from the catalog instead, as of its last VACUUM or ANALYZE.
    /// </summary>
    public long? Bytes { get; init; }
    /// <summary>Their rows by the planner's estimate (reltuples); null: never analyzed or none exists.</summary>
    public long? Rows { get; init; }
    /// <summary>
    /// What the statement's lock would wait for right now, as the lock report names them: sessions holding a conflicting lock on
    /// those tables or already queued for one, and prepared transactions (two-phase commit left behind, no session) holding one.
    /// </summary>
    public List<string> Blockers { get; init; } = [];
    /// <summary>The linter's rule ids for the statement, and invalid-index-in-the-way when an INVALID index stands where it creates one IF NOT EXISTS.</summary>
    public List<string> Findings { get; init; } = [];
    /// <summary>The safe way to do it, from the first finding that has one.</summary>
    public string? SafeRewrite { get; init; }

    public override string ToString() => $"{Script}:{Line}: {(LockMode.Length == 0 ? "no lock" : LockMode)} ({Work}) {string.Join(", ", Tables)}";
}
