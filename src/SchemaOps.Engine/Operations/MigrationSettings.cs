namespace SchemaOps.Engine.Operations;

/// <summary>
/// Everything a migration operation needs to know besides where the database is. Defaults are Flyway's
/// safe ones (validate on migrate, no baseline on migrate, no out-of-order, future migrations tolerated).
/// </summary>
public sealed record MigrationSettings
{
    /// <summary>Where migrations are looked for when nothing says otherwise (Flyway's db/migration).</summary>
    public const string DefaultLocation = "db/migration";

    /// <summary>dbmate's default folder: looked in when nothing says otherwise and Flyway's does not exist.</summary>
    public const string DbmateDefaultLocation = "db/migrations";

    /// <summary>The default folder for a project in <paramref name="workingDirectory"/>: Flyway's, or dbmate's when only that one exists.</summary>
    public static string DefaultLocationIn(string workingDirectory) =>
        !Directory.Exists(Path.Combine(workingDirectory, DefaultLocation)) && Directory.Exists(Path.Combine(workingDirectory, DbmateDefaultLocation))
            ? DbmateDefaultLocation : DefaultLocation;

    /// <summary>Where dump writes the schema file when nothing says otherwise: dbmate's.</summary>
    public const string DefaultSchemaFile = "db/schema.sql";

    public IReadOnlyList<string> Locations { get; init; } = [];
    /// <summary>The migration files' layout; Auto detects it from the file names (or the database's history table).</summary>
    public MigrationLayout Layout { get; init; } = MigrationLayout.Auto;
    /// <summary>The history table; null means the layout's default (flyway_schema_history, or schema_migrations for dbmate and golang-migrate).</summary>
    public string? Table { get; init; }
    /// <summary>Managed schemas; the first holds the history table. Empty: the connection's current schema.</summary>
    public IReadOnlyList<string> Schemas { get; init; } = [];
    /// <summary>Highest version to migrate to; null or "latest" for all.</summary>
    public string? Target { get; init; }
    /// <summary>
    /// Apply pending versions older than the newest applied one. Null: as the layout's own tool does: dbmate applies
    /// them (unless DBMATE_STRICT / --strict), Flyway refuses them (validation), golang-migrate never sees them.
    /// See <see cref="MigrationSession.OutOfOrder"/>.
    /// </summary>
    public bool? OutOfOrder { get; init; }
    /// <summary>Values for `${name}` placeholders (names case-insensitive); they override Flyway's built-ins.</summary>
    public IReadOnlyDictionary<string, string> Placeholders { get; init; } = new Dictionary<string, string>();
    /// <summary>Replace placeholders at all (a script's .sql.conf can still turn it off for itself).</summary>
    public bool PlaceholderReplacement { get; init; } = true;
    /// <summary>Apply all pending migrations in one transaction: all or none (refused if one cannot run in a transaction).</summary>
    public bool Group { get; init; }
    /// <summary>Flyway's mixed: a script may hold a statement that cannot run in a transaction beside other changes (then all run without one).</summary>
    public bool Mixed { get; init; }
    /// <summary>Apply versioned migrations only, leaving repeatables for a later run (the rehearsal applies one version at a time; views come last).</summary>
    internal bool VersionedOnly { get; init; }
    public bool BaselineOnMigrate { get; init; }
    public string BaselineVersion { get; init; } = "1";
    public string BaselineDescription { get; init; } = "<< Flyway Baseline >>";
    public bool ValidateOnMigrate { get; init; } = true;
    public IReadOnlyList<string> IgnoreMigrationPatterns { get; init; } = ["*:future"];
    /// <summary>Written to installed_by; null means the database's current_user.</summary>
    public string? InstalledBy { get; init; }

    /// <summary>
    /// Flyway's initSql: SQL run on the session as it opens, before anything else, and again whenever SchemaOps puts the
    /// session back (a script that changed it), so its effect lasts the whole run as in Flyway: the usual one is
    /// SET ROLE app_owner, for logins (Vault's dynamic users) whose objects must belong to the application's role.
    /// Never shown or logged: it may hold a secret. Not run on throwaway servers (rehearse, drift), which lack the roles.
    /// </summary>
    public string? InitSql { get; init; }
    /// <summary>Skip malformed migration-like file names with a warning instead of failing (Flyway's habit).</summary>
    public bool LenientNaming { get; init; }
    public bool CreateSchemas { get; init; } = true;
    /// <summary>Create the database first when the server does not have it (dbmate up; --create / -CreateDatabase).</summary>
    public bool CreateDatabase { get; init; }
    /// <summary>Clean drops everything: refused unless this is set (parameter, cleanEnabled in config, or SCHEMAOPS_CLEAN_ENABLED=true).</summary>
    public bool CleanEnabled { get; init; }
    /// <summary>The config environment this database belongs to (or just its label); ${flyway:environment}.</summary>
    public string? Environment { get; init; }
    /// <summary>A production database: clean is refused, and undo and repair need <see cref="ProductionConfirmed"/>.</summary>
    public bool Production { get; init; }
    /// <summary>The operator explicitly confirmed a destructive change to a production database (-Force or the prompt; --confirm-production).</summary>
    public bool ProductionConfirmed { get; init; }
    /// <summary>How long to wait for another runner's migration lock before giving up.</summary>
    public TimeSpan LockWaitTimeout { get; init; } = DefaultLockWait;
    /// <summary>The one place the lock wait default is set; front ends' help texts quote it from here.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromMinutes(5);
    /// <summary>lock_timeout for each transactional migration (zero: none, wait as long as it takes).</summary>
    public TimeSpan LockTimeout { get; init; } = Execution.LockSafety.Default.LockTimeout;
    /// <summary>How many times a migration that timed out waiting for a lock is retried (0: fail at once).</summary>
    public int LockRetryCount { get; init; } = Execution.LockSafety.Default.Attempts - 1;
    /// <summary>Refuse to start when a pending migration has a lint finding at this severity or above; null: no lint gate.</summary>
    public LintSeverity? LintLevel { get; init; }
    /// <summary>A rehearsed migration taking longer than this is slow; null: the rehearsal's default (30 s).</summary>
    public TimeSpan? SlowThreshold { get; init; }
    /// <summary>Objects the drift check leaves out (a team manages them by hand): wildcard patterns, see DriftOptions.</summary>
    public IReadOnlyList<string> DriftIgnore { get; init; } = [];
    /// <summary>Rules turned off or re-graded for the lint gate (schemaops-lint.json).</summary>
    public Lint.LintRuleSettings LintRules { get; init; } = Lint.LintRuleSettings.Default;
    /// <summary>The schema file dump writes (dbmate's db/schema.sql, or DBMATE_SCHEMA_FILE), relative to the working directory.</summary>
    public string SchemaFile { get; init; } = DefaultSchemaFile;
    /// <summary>statement_timeout for migration statements; null: the server's (usually none).</summary>
    public TimeSpan? StatementTimeout { get; init; }

    internal Execution.LockSafety Safety =>
        LockRetryCount < 0 ? throw Errors.Parameter(ErrorCatalog.InvalidLockRetryCount, $"the lock retry count cannot be negative (was {LockRetryCount})")
        : LockTimeout < TimeSpan.Zero ? throw Errors.Parameter(ErrorCatalog.InvalidLockTimeout, $"the lock timeout cannot be negative (was {LockTimeout})")
        : new(LockTimeout, LockRetryCount + 1, StatementTimeout);

}
