namespace SchemaOps;

/// <summary>What a schema snapshot records, and what a difference is about.</summary>
public enum SchemaObjectKind
{
    Schema,
    Extension,
    Table,
    Column,
    Constraint,
    Index,
    View,
    MaterializedView,
    Function,
    Procedure,
    Aggregate,
    Trigger,
    /// <summary>A row-level security policy (table.policy): who it applies to, for which command, its expressions.</summary>
    Policy,
    /// <summary>A table's row-level security switch, when on: ENABLED and/or FORCED.</summary>
    RowSecurity,
    Sequence,
    Enum,
    Domain,
    /// <summary>A composite or range type (CREATE TYPE ... AS (...) / AS RANGE).</summary>
    Type,
    /// <summary>
    /// What a schema, table, view, sequence or function grants beyond its owner and PostgreSQL's defaults (GRANT SELECT TO
    /// app_readonly; GRANT EXECUTE TO PUBLIC...), grantors and the owner's own rights left out; a schema's own is named "".
    /// </summary>
    Privileges,
    /// <summary>A table's row count (differences only).</summary>
    RowCount,
    /// <summary>A migration in effect per the history table (differences only).</summary>
    Migration,
}

/// <summary>
/// A database's schema at one moment: every object with its definition as PostgreSQL prints it, row
/// counts, and the migrations in effect. Saved to and loaded from JSON; compared with Compare-SchemaSnapshot.
/// </summary>
public sealed class SchemaSnapshot
{
    /// <summary>user@host:port/database (never a password).</summary>
    public string Database { get; init; } = "";
    public DateTime TakenAt { get; init; }
    public string ServerVersion { get; init; } = "";

    /// <summary>
    /// What the snapshot records: 0 for a file saved before policies, row-level security and composite and range types
    /// were recorded (it has no such field), 2 before privileges were, <see cref="CurrentFormat"/> now. Kinds one side could
    /// not record are not compared.
    /// </summary>
    public int Format { get; init; }
    public const int CurrentFormat = 3;

    /// <summary>The object kinds a snapshot of <paramref name="format"/> records.</summary>
    public static bool Records(int format, SchemaObjectKind kind) => kind switch
    {
        SchemaObjectKind.Policy or SchemaObjectKind.RowSecurity or SchemaObjectKind.Type => format >= 2,
        SchemaObjectKind.Privileges => format >= 3,
        _ => true,
    };
    /// <summary>The schemas recorded.</summary>
    public List<string> Schemas { get; init; } = [];
    public List<SchemaObject> Objects { get; init; } = [];
    public List<TableRowCount> RowCounts { get; init; } = [];
    /// <summary>The migrations in effect (applied, failed or baseline), from the history table; empty when there is none.</summary>
    public List<SnapshotMigration> Migrations { get; init; } = [];
    /// <summary>The highest version in effect, when there is a history table.</summary>
    public MigrationVersion? MigrationVersion { get; init; }

    public int TableCount => Objects.Count(o => o.Kind == SchemaObjectKind.Table);
    public int ObjectCount => Objects.Count;

    public override string ToString() => $"{Database} at {TakenAt:u}: {ObjectCount} objects";
}

/// <summary>One object: its kind, where it lives, and its definition (the text a difference compares).</summary>
public sealed class SchemaObject
{
    public SchemaObjectKind Kind { get; init; }
    public string Schema { get; init; } = "";
    /// <summary>Unique within kind and schema: table.column for columns, table.name for constraints and triggers, name(args) for routines.</summary>
    public string Name { get; init; } = "";
    /// <summary>The table it belongs to (columns, constraints, indexes, triggers).</summary>
    public string? Table { get; init; }
    public string Definition { get; init; } = "";

    public override string ToString() => $"{Kind} {Schema}.{Name}";
}

public sealed class TableRowCount
{
    public string Schema { get; init; } = "";
    public string Table { get; init; } = "";
    /// <summary>Null when estimated and the table was never analyzed.</summary>
    public long? Rows { get; init; }
    /// <summary>False for an estimate (pg_class.reltuples), which comparisons ignore.</summary>
    public bool Exact { get; init; }
}

public sealed class SnapshotMigration
{
    public MigrationVersion? Version { get; init; }
    public string Description { get; init; } = "";
    public string Type { get; init; } = "";
    public int? Checksum { get; init; }
    /// <summary>Applied, Failed or Baseline.</summary>
    public string State { get; init; } = "";
}

/// <summary>How a snapshot counts rows: exactly (count(*), reads every table), from the planner's estimate, or not at all.</summary>
public enum RowCountMode
{
    Exact,
    Estimated,
    None,
}

public enum SchemaChange
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference between two snapshots: what, and its definition on each side.</summary>
public sealed class SchemaDifference
{
    public SchemaObjectKind Kind { get; init; }
    public string Schema { get; init; } = "";
    public string Name { get; init; } = "";
    public SchemaChange Change { get; init; }
    /// <summary>The definition in the reference (earlier) snapshot; null when added.</summary>
    public string? Reference { get; init; }
    /// <summary>The definition in the compared (later) snapshot; null when removed.</summary>
    public string? Difference { get; init; }

    /// <summary>schema.name as shown; a schema itself, and a schema's own privileges (named ""), by the schema's name alone.</summary>
    public string QualifiedName => Schema.Length == 0 ? Name : Name.Length == 0 || Kind == SchemaObjectKind.Schema ? Schema : $"{Schema}.{Name}";

    public override string ToString() => $"{Change} {Kind} {QualifiedName}";
}
