namespace SchemaOps;

/// <summary>How a CLI run that fails with an error of a kind ends: its exit code (documented in the README).</summary>
public enum ExitClass
{
    /// <summary>Checks ran and found problems (validation, lint): nothing was changed.</summary>
    ProblemsFound = 1,
    /// <summary>Bad input: a parameter, a file, a config. Nothing was changed.</summary>
    Usage = 2,
    /// <summary>An operation or a migration failed.</summary>
    Failed = 3,
    /// <summary>The server cannot be reached or refused the login.</summary>
    ConnectionFailed = 4,
    /// <summary>Someone else holds a lock: another runner, a long transaction.</summary>
    Busy = 5,
    /// <summary>Ctrl+C (a signal gives 128 + its number).</summary>
    Canceled = 130,
}

/// <summary>One kind of error: its stable id, what kind of failure it is, how the CLI exits for it, and what it means.</summary>
public sealed record ErrorKind(string Id, SchemaOpsErrorCategory Category, ExitClass Exit, string Meaning)
{
    public override string ToString() => Id;
}

/// <summary>
/// Every error SchemaOps raises on purpose, decided here once: the cmdlets map the category to PowerShell's, the CLI
/// the exit class to its exit code, and about_SchemaOps_Errors and the README list them all (a test keeps both
/// current). A throw site names its kind and writes a message naming the file, line, version or target at hand.
/// </summary>
public static class ErrorCatalog
{
    private static readonly List<ErrorKind> Kinds = [];

    /// <summary>Every kind, in the order of the list below (grouped by where the error comes from).</summary>
    public static IReadOnlyList<ErrorKind> All => Kinds;

    public static ErrorKind? Find(string id) => Kinds.Find(k => k.Id == id);

    private static ErrorKind Define(string id, SchemaOpsErrorCategory category, string meaning, ExitClass? exit = null)
    {
        var kind = new ErrorKind(id, category, exit ?? DefaultExit(category), meaning);
        Kinds.Add(kind);
        return kind;
    }

    /// <summary>The exit class a category gives unless a kind says otherwise.</summary>
    private static ExitClass DefaultExit(SchemaOpsErrorCategory category) => category switch
    {
        SchemaOpsErrorCategory.InvalidArgument or SchemaOpsErrorCategory.InvalidData => ExitClass.Usage,
        SchemaOpsErrorCategory.ConnectionError or SchemaOpsErrorCategory.AuthenticationError => ExitClass.ConnectionFailed,
        SchemaOpsErrorCategory.ResourceBusy => ExitClass.Busy,
        SchemaOpsErrorCategory.OperationStopped => ExitClass.Canceled,
        _ => ExitClass.Failed,
    };


    // Input: parameters and command lines
    public static readonly ErrorKind Usage = Define(nameof(Usage), SchemaOpsErrorCategory.InvalidArgument, "a CLI command line that does not parse: unknown option, missing value, wrong count of arguments");
    public static readonly ErrorKind NoConnection = Define(nameof(NoConnection), SchemaOpsErrorCategory.InvalidArgument, "no database given: neither a connection string, a URL, DATABASE_URL nor a config environment names one");
    public static readonly ErrorKind InvalidConnectionString = Define(nameof(InvalidConnectionString), SchemaOpsErrorCategory.InvalidArgument, "a connection string that cannot be parsed");
    public static readonly ErrorKind InvalidConnectionUrl = Define(nameof(InvalidConnectionUrl), SchemaOpsErrorCategory.InvalidArgument, "a URL that is not postgres://, postgresql:// or jdbc:postgresql://");
    public static readonly ErrorKind InvalidEnvironmentVariable = Define(nameof(InvalidEnvironmentVariable), SchemaOpsErrorCategory.InvalidArgument, "an environment variable SchemaOps reads holds a value of the wrong kind");
    public static readonly ErrorKind InvalidIdentifier = Define(nameof(InvalidIdentifier), SchemaOpsErrorCategory.InvalidArgument, "a schema or table name that PostgreSQL would not take as given");
    public static readonly ErrorKind InvalidVersion = Define(nameof(InvalidVersion), SchemaOpsErrorCategory.InvalidArgument, "a version that is not digits separated by dots or underscores");
    public static readonly ErrorKind InvalidTarget = Define(nameof(InvalidTarget), SchemaOpsErrorCategory.InvalidArgument, "a target version that is neither a version nor 'latest'");
    public static readonly ErrorKind InvalidBaselineVersion = Define(nameof(InvalidBaselineVersion), SchemaOpsErrorCategory.InvalidArgument, "a baseline version that is not a version");
    public static readonly ErrorKind InvalidLayout = Define(nameof(InvalidLayout), SchemaOpsErrorCategory.InvalidArgument, "a migration layout name SchemaOps does not know");
    public static readonly ErrorKind NoLocation = Define(nameof(NoLocation), SchemaOpsErrorCategory.InvalidArgument, "no migration folder given");
    public static readonly ErrorKind InvalidIgnorePattern = Define(nameof(InvalidIgnorePattern), SchemaOpsErrorCategory.InvalidArgument, "an ignore pattern that is not type:state");
    public static readonly ErrorKind InvalidUndoScope = Define(nameof(InvalidUndoScope), SchemaOpsErrorCategory.InvalidArgument, "undo given none or more than one of count, target and all");
    public static readonly ErrorKind InvalidDescription = Define(nameof(InvalidDescription), SchemaOpsErrorCategory.InvalidArgument, "a new migration without a usable description");
    public static readonly ErrorKind InvalidLockRetryCount = Define(nameof(InvalidLockRetryCount), SchemaOpsErrorCategory.InvalidArgument, "a negative lock retry count");
    public static readonly ErrorKind InvalidLockTimeout = Define(nameof(InvalidLockTimeout), SchemaOpsErrorCategory.InvalidArgument, "a negative lock timeout");
    public static readonly ErrorKind InvalidThrottleLimit = Define(nameof(InvalidThrottleLimit), SchemaOpsErrorCategory.InvalidArgument, "a throttle limit below 1");
    public static readonly ErrorKind NoTargets = Define(nameof(NoTargets), SchemaOpsErrorCategory.InvalidArgument, "a fleet run given no database");
    public static readonly ErrorKind FleetDryRun = Define(nameof(FleetDryRun), SchemaOpsErrorCategory.InvalidArgument, "a dry run asked of several databases (it writes one database's plan)");
    public static readonly ErrorKind InvalidJobs = Define(nameof(InvalidJobs), SchemaOpsErrorCategory.InvalidArgument, "parallel backup jobs below 1");
    public static readonly ErrorKind ParallelNeedsDirectoryFormat = Define(nameof(ParallelNeedsDirectoryFormat), SchemaOpsErrorCategory.InvalidArgument, "parallel backup jobs asked for an archive format other than directory");
    public static readonly ErrorKind BackupExists = Define(nameof(BackupExists), SchemaOpsErrorCategory.InvalidArgument, "the backup file already exists (a backup never overwrites)");
    public static readonly ErrorKind RestoreCreateAndClean = Define(nameof(RestoreCreateAndClean), SchemaOpsErrorCategory.InvalidArgument, "a restore asked both to create the database and to clean it");
    public static readonly ErrorKind InvalidQueryLength = Define(nameof(InvalidQueryLength), SchemaOpsErrorCategory.InvalidArgument, "a negative query length for the lock report");
    public static readonly ErrorKind InvalidInterval = Define(nameof(InvalidInterval), SchemaOpsErrorCategory.InvalidArgument, "a watch interval that is not positive");
    public static readonly ErrorKind InvalidTimeout = Define(nameof(InvalidTimeout), SchemaOpsErrorCategory.InvalidArgument, "a wait timeout that is not positive");
    public static readonly ErrorKind EphemeralDatabaseNameInvalid = Define(nameof(EphemeralDatabaseNameInvalid), SchemaOpsErrorCategory.InvalidArgument, "a throwaway database name PostgreSQL would cut or refuse");
    public static readonly ErrorKind CleanSystemSchema = Define(nameof(CleanSystemSchema), SchemaOpsErrorCategory.InvalidArgument, "clean asked to drop a system schema");
    public static readonly ErrorKind UnknownReportFormat = Define(nameof(UnknownReportFormat), SchemaOpsErrorCategory.InvalidArgument, "a report file name whose format cannot be told");
    public static readonly ErrorKind UnsupportedReportInput = Define(nameof(UnsupportedReportInput), SchemaOpsErrorCategory.InvalidArgument, "a report given objects SchemaOps does not emit");
    public static readonly ErrorKind NoCurrentSchema = Define(nameof(NoCurrentSchema), SchemaOpsErrorCategory.InvalidArgument, "the database has no current schema and none was named");

    // Input: files
    public static readonly ErrorKind FileNotFound = Define(nameof(FileNotFound), SchemaOpsErrorCategory.ObjectNotFound, "a file named for a checksum does not exist", ExitClass.Usage);
    public static readonly ErrorKind LocationNotFound = Define(nameof(LocationNotFound), SchemaOpsErrorCategory.ObjectNotFound, "a migration folder does not exist", ExitClass.Usage);
    public static readonly ErrorKind LocationUnreadable = Define(nameof(LocationUnreadable), SchemaOpsErrorCategory.InvalidData, "a migration folder cannot be read");
    public static readonly ErrorKind MigrationFolderLoop = Define(nameof(MigrationFolderLoop), SchemaOpsErrorCategory.InvalidData, "a symbolic link makes a migration folder contain itself");
    public static readonly ErrorKind ControlCharacterInName = Define(nameof(ControlCharacterInName), SchemaOpsErrorCategory.InvalidData, "a migration file or folder name holds a control character");
    public static readonly ErrorKind InvalidMigrationName = Define(nameof(InvalidMigrationName), SchemaOpsErrorCategory.InvalidData, "a file name that looks like a migration but does not follow the naming rules");
    public static readonly ErrorKind DuplicateMigrationVersion = Define(nameof(DuplicateMigrationVersion), SchemaOpsErrorCategory.InvalidData, "two migrations of one kind share a version");
    public static readonly ErrorKind DuplicateRepeatableMigration = Define(nameof(DuplicateRepeatableMigration), SchemaOpsErrorCategory.InvalidData, "two repeatable migrations share a description");
    public static readonly ErrorKind DownWithoutUp = Define(nameof(DownWithoutUp), SchemaOpsErrorCategory.InvalidData, "a golang-migrate down file without its up file");
    public static readonly ErrorKind MismatchedMigrationPair = Define(nameof(MismatchedMigrationPair), SchemaOpsErrorCategory.InvalidData, "a golang-migrate up and down file that do not belong together");
    public static readonly ErrorKind ScriptMigrationNotSupported = Define(nameof(ScriptMigrationNotSupported), SchemaOpsErrorCategory.InvalidData, "a Flyway script migration (V2__seed.sh, .ps1, .py...) among the migrations: SchemaOps runs SQL only");
    public static readonly ErrorKind MixedMigrationLayouts = Define(nameof(MixedMigrationLayouts), SchemaOpsErrorCategory.InvalidData, "one folder holds migrations of different tools' layouts");
    public static readonly ErrorKind InvalidDbmateMigration = Define(nameof(InvalidDbmateMigration), SchemaOpsErrorCategory.InvalidData, "a dbmate file without its migrate:up section, or with a section twice");
    public static readonly ErrorKind ScriptUnreadable = Define(nameof(ScriptUnreadable), SchemaOpsErrorCategory.InvalidData, "a migration script cannot be read");
    public static readonly ErrorKind InvalidScriptEncoding = Define(nameof(InvalidScriptEncoding), SchemaOpsErrorCategory.InvalidData, "a migration script is not valid in its encoding");
    public static readonly ErrorKind InvalidScriptConfig = Define(nameof(InvalidScriptConfig), SchemaOpsErrorCategory.InvalidData, "a .sql.conf file with a line that is not a known key=value");
    public static readonly ErrorKind MissingPlaceholder = Define(nameof(MissingPlaceholder), SchemaOpsErrorCategory.InvalidData, "a script uses a placeholder that has no value");
    public static readonly ErrorKind UnterminatedSql = Define(nameof(UnterminatedSql), SchemaOpsErrorCategory.InvalidData, "a string, quoted name, comment, dollar quote or COPY data that never ends");
    public static readonly ErrorKind PsqlMetaCommand = Define(nameof(PsqlMetaCommand), SchemaOpsErrorCategory.InvalidData, "a psql backslash command (\\i, \\set, \\connect...) in a script: not SQL");
    public static readonly ErrorKind UnclosedTransaction = Define(nameof(UnclosedTransaction), SchemaOpsErrorCategory.InvalidData, "a script opens a transaction it never closes");
    public static readonly ErrorKind TransactionControlInScript = Define(nameof(TransactionControlInScript), SchemaOpsErrorCategory.InvalidData, "a script controls the transaction SchemaOps runs it in");
    public static readonly ErrorKind StatementNeedsNoTransaction = Define(nameof(StatementNeedsNoTransaction), SchemaOpsErrorCategory.InvalidData, "a statement that cannot run in a transaction, in a script that must");
    public static readonly ErrorKind MixedTransactionMode = Define(nameof(MixedTransactionMode), SchemaOpsErrorCategory.InvalidData, "a statement that cannot run in a transaction beside other changes in one script, without mixed=true");
    public static readonly ErrorKind GroupNeedsTransactions = Define(nameof(GroupNeedsTransactions), SchemaOpsErrorCategory.InvalidData, "a migration that cannot run in a transaction, in a run applied as one transaction");
    public static readonly ErrorKind ConfigFileNotFound = Define(nameof(ConfigFileNotFound), SchemaOpsErrorCategory.ObjectNotFound, "the config file does not exist", ExitClass.Usage);
    public static readonly ErrorKind UnknownConfigFormat = Define(nameof(UnknownConfigFormat), SchemaOpsErrorCategory.InvalidArgument, "a config file of a format SchemaOps does not read");
    public static readonly ErrorKind InvalidConfigFile = Define(nameof(InvalidConfigFile), SchemaOpsErrorCategory.InvalidData, "a config file that is not valid JSON, TOML or properties");
    public static readonly ErrorKind InvalidConfigValue = Define(nameof(InvalidConfigValue), SchemaOpsErrorCategory.InvalidData, "a config value of the wrong kind");
    public static readonly ErrorKind UnknownConfigKey = Define(nameof(UnknownConfigKey), SchemaOpsErrorCategory.InvalidData, "a config key SchemaOps does not know");
    public static readonly ErrorKind UnsupportedSetting = Define(nameof(UnsupportedSetting), SchemaOpsErrorCategory.InvalidData, "a Flyway setting that changes which scripts run or what they run, which SchemaOps does not support (another prefix, placeholder marks, cherry-picking)");
    public static readonly ErrorKind UnsupportedLocation = Define(nameof(UnsupportedLocation), SchemaOpsErrorCategory.InvalidData, "a location SchemaOps cannot read (a Java classpath, a cloud bucket)");
    public static readonly ErrorKind ConfigVariableNotSet = Define(nameof(ConfigVariableNotSet), SchemaOpsErrorCategory.InvalidData, "a config file refers to an environment variable that is not set");
    public static readonly ErrorKind ProductionSwitchedOff = Define(nameof(ProductionSwitchedOff), SchemaOpsErrorCategory.InvalidData, "a config key that would quietly make a production environment not production");
    public static readonly ErrorKind UnknownEnvironment = Define(nameof(UnknownEnvironment), SchemaOpsErrorCategory.ObjectNotFound, "the environment named is not in the config file", ExitClass.Usage);
    public static readonly ErrorKind LintConfigNotFound = Define(nameof(LintConfigNotFound), SchemaOpsErrorCategory.ObjectNotFound, "the lint rule file does not exist", ExitClass.Usage);
    public static readonly ErrorKind InvalidLintConfig = Define(nameof(InvalidLintConfig), SchemaOpsErrorCategory.InvalidData, "a lint rule file entry that is not a setting");
    public static readonly ErrorKind UnknownLintRule = Define(nameof(UnknownLintRule), SchemaOpsErrorCategory.InvalidData, "a lint rule file names a rule SchemaOps does not know");
    public static readonly ErrorKind LintPathNotFound = Define(nameof(LintPathNotFound), SchemaOpsErrorCategory.ObjectNotFound, "a path given to the linter does not exist", ExitClass.Usage);
    public static readonly ErrorKind SnapshotNotFound = Define(nameof(SnapshotNotFound), SchemaOpsErrorCategory.ObjectNotFound, "the snapshot file does not exist", ExitClass.Usage);
    public static readonly ErrorKind InvalidSnapshotFile = Define(nameof(InvalidSnapshotFile), SchemaOpsErrorCategory.InvalidData, "a file that holds no snapshot");
    public static readonly ErrorKind InvalidReportInput = Define(nameof(InvalidReportInput), SchemaOpsErrorCategory.InvalidData, "a report input file that is not SchemaOps JSON");
    public static readonly ErrorKind BackupFolderNotFound = Define(nameof(BackupFolderNotFound), SchemaOpsErrorCategory.ObjectNotFound, "the folder a backup is to be written to does not exist", ExitClass.Usage);
    public static readonly ErrorKind BackupNotFound = Define(nameof(BackupNotFound), SchemaOpsErrorCategory.ObjectNotFound, "the backup file does not exist", ExitClass.Usage);
    public static readonly ErrorKind BackupSnapshotMissing = Define(nameof(BackupSnapshotMissing), SchemaOpsErrorCategory.ObjectNotFound, "a test restore finds no snapshot beside the backup", ExitClass.Usage);

    // Problems found
    public static readonly ErrorKind ValidationFailed = Define(nameof(ValidationFailed), SchemaOpsErrorCategory.InvalidData, "validation found applied migrations changed, missing or failed: nothing was applied", ExitClass.ProblemsFound);
    public static readonly ErrorKind LintFailed = Define(nameof(LintFailed), SchemaOpsErrorCategory.InvalidData, "the pending migrations have lint findings at the blocking level: nothing was applied", ExitClass.ProblemsFound);

    // Database state and refusals
    public static readonly ErrorKind HistoryTableShape = Define(nameof(HistoryTableShape), SchemaOpsErrorCategory.InvalidData, "a table of the history table's name that is not a history table of the layout", ExitClass.Failed);
    public static readonly ErrorKind InvalidHistoryRow = Define(nameof(InvalidHistoryRow), SchemaOpsErrorCategory.InvalidData, "a history row whose version is not a version", ExitClass.Failed);
    public static readonly ErrorKind InvalidHistoryVersion = Define(nameof(InvalidHistoryVersion), SchemaOpsErrorCategory.InvalidData, "a version-only history table holds a version that is not a number", ExitClass.Failed);
    public static readonly ErrorKind InvalidGolangMigrateVersion = Define(nameof(InvalidGolangMigrateVersion), SchemaOpsErrorCategory.InvalidData, "a version too large for golang-migrate's bigint column");
    public static readonly ErrorKind HistoryInOtherSchema = Define(nameof(HistoryInOtherSchema), SchemaOpsErrorCategory.InvalidOperation, "no history in the connection's schema, but one in another: no schema was named, so nothing is applied again");
    public static readonly ErrorKind HistoryLayoutMismatch = Define(nameof(HistoryLayoutMismatch), SchemaOpsErrorCategory.InvalidOperation, "the migrations' layout and the database's history table belong to different tools");
    public static readonly ErrorKind HistoryChangedUnderneath = Define(nameof(HistoryChangedUnderneath), SchemaOpsErrorCategory.InvalidOperation, "another runner changed the history while this run waited for the lock");
    public static readonly ErrorKind NonEmptySchemaWithoutHistory = Define(nameof(NonEmptySchemaWithoutHistory), SchemaOpsErrorCategory.InvalidOperation, "the schema holds objects but no history table: baseline it first");
    public static readonly ErrorKind FailedMigrationPresent = Define(nameof(FailedMigrationPresent), SchemaOpsErrorCategory.InvalidOperation, "a failed migration is recorded: repair before migrating");
    public static readonly ErrorKind NonTransactionalBehindPooler = Define(nameof(NonTransactionalBehindPooler), SchemaOpsErrorCategory.InvalidOperation, "a migration that must run outside a transaction, through a transaction pooler");
    public static readonly ErrorKind SchemaNotFound = Define(nameof(SchemaNotFound), SchemaOpsErrorCategory.ObjectNotFound, "managed schemas do not exist and creating them is turned off");
    public static readonly ErrorKind BaselineNotSupported = Define(nameof(BaselineNotSupported), SchemaOpsErrorCategory.InvalidOperation, "the history layout has no baseline (dbmate, golang-migrate)");
    public static readonly ErrorKind BaselineConflict = Define(nameof(BaselineConflict), SchemaOpsErrorCategory.InvalidOperation, "the history already has a different baseline");
    public static readonly ErrorKind BaselineNotEmpty = Define(nameof(BaselineNotEmpty), SchemaOpsErrorCategory.InvalidOperation, "the history already holds migrations");
    public static readonly ErrorKind UndoRangeTooLarge = Define(nameof(UndoRangeTooLarge), SchemaOpsErrorCategory.InvalidOperation, "undo asked for more migrations than are applied");
    public static readonly ErrorKind UndoRefused = Define(nameof(UndoRefused), SchemaOpsErrorCategory.InvalidOperation, "an applied migration to undo has no undo script: nothing was undone");
    public static readonly ErrorKind CleanDisabled = Define(nameof(CleanDisabled), SchemaOpsErrorCategory.PermissionDenied, "clean was not allowed explicitly");
    public static readonly ErrorKind CleanReachesOutside = Define(nameof(CleanReachesOutside), SchemaOpsErrorCategory.InvalidOperation, "clean would drop objects that objects outside the managed schemas depend on");
    public static readonly ErrorKind CleanRefusedInProduction = Define(nameof(CleanRefusedInProduction), SchemaOpsErrorCategory.PermissionDenied, "clean of a production database");
    public static readonly ErrorKind ProductionConfirmationRequired = Define(nameof(ProductionConfirmationRequired), SchemaOpsErrorCategory.PermissionDenied, "a change to a production database without the production confirmation");
    public static readonly ErrorKind RestoreTargetNotEmpty = Define(nameof(RestoreTargetNotEmpty), SchemaOpsErrorCategory.InvalidOperation, "a restore into a database that already holds objects, without clean");
    public static readonly ErrorKind MigrationFileExists = Define(nameof(MigrationFileExists), SchemaOpsErrorCategory.InvalidOperation, "the new migration's file already exists");

    // Migrations that fail
    public static readonly ErrorKind MigrationFailed = Define(nameof(MigrationFailed), SchemaOpsErrorCategory.InvalidOperation, "a migration statement failed: rolled back (or recorded as failed when not in a transaction)");
    public static readonly ErrorKind ReadOnlyServer = Define(nameof(ReadOnlyServer), SchemaOpsErrorCategory.InvalidOperation, "a change sent to a read-only server (a standby, or default_transaction_read_only): nothing was changed");
    public static readonly ErrorKind MigrationPermissionDenied = Define(nameof(MigrationPermissionDenied), SchemaOpsErrorCategory.PermissionDenied, "a migration statement was refused for lack of privilege");
    public static readonly ErrorKind MigrationStatementTimeout = Define(nameof(MigrationStatementTimeout), SchemaOpsErrorCategory.OperationTimeout, "a migration statement ran past the statement timeout asked for");
    public static readonly ErrorKind MigrationCanceledByServer = Define(nameof(MigrationCanceledByServer), SchemaOpsErrorCategory.InvalidOperation, "a migration statement was canceled on the server (by an administrator or a server setting)");
    public static readonly ErrorKind InvalidIndexInTheWay = Define(nameof(InvalidIndexInTheWay), SchemaOpsErrorCategory.InvalidOperation, "an INVALID index left by a failed concurrent build stands where a migration creates it IF NOT EXISTS: drop it first");
    public static readonly ErrorKind MigrationFailedUnrecorded = Define(nameof(MigrationFailedUnrecorded), SchemaOpsErrorCategory.ConnectionError, "the connection was lost during a migration outside a transaction: check the database by hand");
    public static readonly ErrorKind MigrationInterrupted = Define(nameof(MigrationInterrupted), SchemaOpsErrorCategory.OperationStopped, "canceled during a migration outside a transaction: its first statements stay applied");
    public static readonly ErrorKind HistoryWriteFailed = Define(nameof(HistoryWriteFailed), SchemaOpsErrorCategory.InvalidOperation, "recording a migration in the history failed, so the migration was rolled back");

    // Connections and the server
    public static readonly ErrorKind ConnectionFailed = Define(nameof(ConnectionFailed), SchemaOpsErrorCategory.ConnectionError, "the server cannot be reached");
    public static readonly ErrorKind DatabaseNotReady = Define(nameof(DatabaseNotReady), SchemaOpsErrorCategory.ConnectionError, "the server did not accept connections within the wait or the retries");
    public static readonly ErrorKind AuthenticationFailed = Define(nameof(AuthenticationFailed), SchemaOpsErrorCategory.AuthenticationError, "the server refused the user name or password");
    public static readonly ErrorKind DatabaseNotFound = Define(nameof(DatabaseNotFound), SchemaOpsErrorCategory.ObjectNotFound, "the database does not exist on the server");
    public static readonly ErrorKind PermissionDenied = Define(nameof(PermissionDenied), SchemaOpsErrorCategory.PermissionDenied, "the user lacks a privilege SchemaOps needs");
    public static readonly ErrorKind TooManyConnections = Define(nameof(TooManyConnections), SchemaOpsErrorCategory.ResourceBusy, "the server has no connection slot left");
    public static readonly ErrorKind LockTimeout = Define(nameof(LockTimeout), SchemaOpsErrorCategory.ResourceBusy, "a lock was not granted within the lock timeout");
    public static readonly ErrorKind MigrationLockTimeout = Define(nameof(MigrationLockTimeout), SchemaOpsErrorCategory.ResourceBusy, "another runner held the migration lock longer than the lock wait");
    public static readonly ErrorKind StatementCanceled = Define(nameof(StatementCanceled), SchemaOpsErrorCategory.OperationStopped, "a query of SchemaOps' own was canceled on the server");
    public static readonly ErrorKind DatabaseError = Define(nameof(DatabaseError), SchemaOpsErrorCategory.InvalidOperation, "the server reported an error to a query of SchemaOps' own");
    public static readonly ErrorKind UnexpectedError = Define(nameof(UnexpectedError), SchemaOpsErrorCategory.InvalidOperation, "a failure SchemaOps did not expect while talking to the server");
    public static readonly ErrorKind OperationCanceled = Define(nameof(OperationCanceled), SchemaOpsErrorCategory.OperationStopped, "canceled (Ctrl+C, a stopped pipeline, SIGTERM): what was in progress was rolled back");

    // Backups, restores and PostgreSQL's programs
    public static readonly ErrorKind PgDumpNotFound = Define(nameof(PgDumpNotFound), SchemaOpsErrorCategory.ObjectNotFound, "pg_dump and pg_restore were not found");
    public static readonly ErrorKind PgDumpTooOld = Define(nameof(PgDumpTooOld), SchemaOpsErrorCategory.InvalidOperation, "pg_dump is older than the server");
    public static readonly ErrorKind PostgresBinariesNotFound = Define(nameof(PostgresBinariesNotFound), SchemaOpsErrorCategory.ObjectNotFound, "initdb and postgres (for a throwaway server) were not found");
    public static readonly ErrorKind ToolStartFailed = Define(nameof(ToolStartFailed), SchemaOpsErrorCategory.InvalidOperation, "a PostgreSQL program could not be started");
    public static readonly ErrorKind BackupNotWritable = Define(nameof(BackupNotWritable), SchemaOpsErrorCategory.PermissionDenied, "the backup file cannot be created");
    public static readonly ErrorKind BackupAuthenticationFailed = Define(nameof(BackupAuthenticationFailed), SchemaOpsErrorCategory.AuthenticationError, "pg_dump could not log in");
    public static readonly ErrorKind BackupNoSpace = Define(nameof(BackupNoSpace), SchemaOpsErrorCategory.WriteError, "the disk the backup goes to is full: the partial backup was removed");
    public static readonly ErrorKind BackupFailed = Define(nameof(BackupFailed), SchemaOpsErrorCategory.InvalidOperation, "pg_dump failed: nothing was kept");
    public static readonly ErrorKind BackupUnreadable = Define(nameof(BackupUnreadable), SchemaOpsErrorCategory.InvalidData, "pg_restore cannot read the archive: nothing was kept");
    public static readonly ErrorKind RestoreFailed = Define(nameof(RestoreFailed), SchemaOpsErrorCategory.InvalidOperation, "pg_restore failed");
    public static readonly ErrorKind SchemaDumpFailed = Define(nameof(SchemaDumpFailed), SchemaOpsErrorCategory.InvalidOperation, "pg_dump failed while dumping the schema: the schema file was left as it was");
    public static readonly ErrorKind SchemaFileNotWritten = Define(nameof(SchemaFileNotWritten), SchemaOpsErrorCategory.WriteError, "the schema file (or its folder) cannot be written");
    public static readonly ErrorKind InitSqlFailed = Define(nameof(InitSqlFailed), SchemaOpsErrorCategory.InvalidOperation, "the initSql setting failed on the server (the server's error is shown, the SQL is not): nothing was changed");
    public static readonly ErrorKind InitSqlBehindPooler = Define(nameof(InitSqlBehindPooler), SchemaOpsErrorCategory.InvalidOperation, "initSql through a transaction pooler, where a session setting cannot last the run");
    public static readonly ErrorKind DirectConnectionRequired = Define(nameof(DirectConnectionRequired), SchemaOpsErrorCategory.InvalidOperation, "a backup, restore or test restore through a connection pooler: pg_dump and pg_restore need a direct connection");

    // Throwaway servers
    public static readonly ErrorKind EphemeralFolderUnusable = Define(nameof(EphemeralFolderUnusable), SchemaOpsErrorCategory.PermissionDenied, "the folder for throwaway servers cannot be used");
    public static readonly ErrorKind NoPostgresOsUser = Define(nameof(NoPostgresOsUser), SchemaOpsErrorCategory.PermissionDenied, "running as root without a postgres OS user to run PostgreSQL as");
    public static readonly ErrorKind EphemeralInitFailed = Define(nameof(EphemeralInitFailed), SchemaOpsErrorCategory.InvalidOperation, "initdb failed for a throwaway server");
    public static readonly ErrorKind EphemeralStartFailed = Define(nameof(EphemeralStartFailed), SchemaOpsErrorCategory.InvalidOperation, "a throwaway server did not start");
    public static readonly ErrorKind EphemeralDatabaseNotFound = Define(nameof(EphemeralDatabaseNotFound), SchemaOpsErrorCategory.ObjectNotFound, "no throwaway server of that id runs in this session");

    // Output files
    public static readonly ErrorKind DryRunWriteFailed = Define(nameof(DryRunWriteFailed), SchemaOpsErrorCategory.WriteError, "the dry-run script cannot be written");
    public static readonly ErrorKind ReportNotWritten = Define(nameof(ReportNotWritten), SchemaOpsErrorCategory.WriteError, "the report cannot be written");
    public static readonly ErrorKind SnapshotNotSaved = Define(nameof(SnapshotNotSaved), SchemaOpsErrorCategory.WriteError, "the snapshot cannot be written");
    public static readonly ErrorKind MigrationFileNotCreated = Define(nameof(MigrationFileNotCreated), SchemaOpsErrorCategory.WriteError, "the new migration's file cannot be created");

    // Defects
    public static readonly ErrorKind InternalError = Define(nameof(InternalError), SchemaOpsErrorCategory.NotSpecified, "a defect in SchemaOps: please report it with the command that shows it");
    public static readonly ErrorKind PathNotFound = Define(nameof(PathNotFound), SchemaOpsErrorCategory.ObjectNotFound, "a path given to a cmdlet does not exist (PowerShell's own id)", ExitClass.Usage);
}
