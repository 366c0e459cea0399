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
