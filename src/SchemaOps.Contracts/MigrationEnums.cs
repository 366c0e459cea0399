namespace SchemaOps;

/// <summary>What a migration (or a history row) is.</summary>
public enum MigrationKind
{
    Versioned,
    Repeatable,
    Undo,
    Baseline,
    SchemaCreation,
    Delete,
}

/// <summary>Flyway's migration states (flyway info), one name each.</summary>
public enum MigrationState
{
    Pending,
    AboveTarget,
    BelowBaseline,
    Ignored,
    IgnoredBaseline,
    Baseline,
    Success,
    OutOfOrder,
    Failed,
    Missing,
    FailedMissing,
    Future,
    FailedFuture,
    Outdated,
    Superseded,
    Deleted,
    Undone,
}

/// <summary>What happened to one migration in a run.</summary>
public enum MigrationOutcome
{
    Applied,
    Failed,
    Skipped,
    /// <summary>Written to a dry-run script, not applied.</summary>
    Planned,
}

/// <summary>What a validation check looked at; Ok when it passed.</summary>
public enum ValidationKind
{
    Ok,
    FailedMigration,
    MissingLocally,
    FutureMigration,
    NotApplied,
    OutdatedRepeatable,
    TypeMismatch,
    ChecksumMismatch,
    DescriptionMismatch,
}

/// <summary>How a migration folder is laid out, and so which history table goes with it.</summary>
public enum MigrationLayout
{
    /// <summary>Detect from the folder's file names, or from the database's history table when the folder has none.</summary>
    Auto,
    /// <summary>V/U/R files; Flyway's flyway_schema_history table.</summary>
    Flyway,
    /// <summary>One file per version with -- migrate:up / -- migrate:down sections; dbmate's schema_migrations(version).</summary>
    Dbmate,
    /// <summary>N_title.up.sql / N_title.down.sql pairs; golang-migrate's single-row schema_migrations(version, dirty).</summary>
    GolangMigrate,
}
