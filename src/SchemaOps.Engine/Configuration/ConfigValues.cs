namespace SchemaOps.Engine.Configuration;

/// <summary>
/// The settings one source gives (parameters, environment variables, a config file's environment, its
/// common part): null means "this source does not say". Layers are stacked by <see cref="ConfigResolver"/>.
/// </summary>
public sealed record ConfigValues
{
    public string? Url { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public IReadOnlyList<string>? Locations { get; init; }
    public string? Table { get; init; }
    public IReadOnlyList<string>? Schemas { get; init; }
    public MigrationLayout? Layout { get; init; }
    /// <summary>Merged name by name across layers (a higher layer overrides one value, not the whole set).</summary>
    public IReadOnlyDictionary<string, string>? Placeholders { get; init; }
    public bool? PlaceholderReplacement { get; init; }
    public TimeSpan? LockTimeout { get; init; }
    public int? LockRetryCount { get; init; }
    public TimeSpan? StatementTimeout { get; init; }
    /// <summary>Flyway's connectRetries: how many more times a failed first connection is tried (default 0).</summary>
    public int? ConnectRetries { get; init; }
    /// <summary>Flyway's connectRetriesInterval: the longest pause between those tries (the pause starts at 1 s and doubles; default 120 s).</summary>
    public TimeSpan? ConnectRetriesInterval { get; init; }
    public bool? CleanEnabled { get; init; }
    /// <summary>Marks the environment as production: destructive operations need explicit confirmation, clean is refused.</summary>
    public bool? Production { get; init; }
    public bool? Group { get; init; }
    public bool? Mixed { get; init; }
    public bool? OutOfOrder { get; init; }
    public bool? BaselineOnMigrate { get; init; }
    public string? BaselineVersion { get; init; }
    public string? BaselineDescription { get; init; }
    public bool? ValidateOnMigrate { get; init; }
    /// <summary>Flyway's target: the highest version migrate, info, validate and repair consider ("latest": all).</summary>
    public string? Target { get; init; }
    /// <summary>Flyway's ignoreMigrationPatterns (type:state).</summary>
    public IReadOnlyList<string>? IgnoreMigrationPatterns { get; init; }
    /// <summary>Skip files that look like migrations but do not parse (Flyway's validateMigrationNaming=false said on purpose).</summary>
    public bool? LenientNaming { get; init; }
    public bool? CreateSchemas { get; init; }
    public string? InstalledBy { get; init; }
    /// <summary>Flyway's initSql: run on each connection as it opens (SET ROLE). Never shown: it may hold a secret.</summary>
    public string? InitSql { get; init; }
    /// <summary>Migrate refuses to start when the pending scripts have lint findings at this severity or above.</summary>
    public LintSeverity? LintLevel { get; init; }
    /// <summary>A rehearsed migration taking longer than this is slow (fails the rehearsal's check).</summary>
    public TimeSpan? SlowThreshold { get; init; }
    public IReadOnlyList<string>? DriftIgnore { get; init; }
    /// <summary>Where dump writes the schema file (dbmate's DBMATE_SCHEMA_FILE).</summary>
    public string? SchemaFile { get; init; }
    /// <summary>Which environment to use; read from environment variables and a config file's default, never from an environment itself.</summary>
    public string? Environment { get; init; }

    public static readonly ConfigValues None = new();

    /// <summary>This layer over <paramref name="lower"/>: every value this layer gives wins.</summary>
    public ConfigValues Over(ConfigValues lower) => new()
    {
        Url = Url ?? lower.Url,
        User = User ?? lower.User,
        Password = Password ?? lower.Password,
        Locations = Locations ?? lower.Locations,
        Table = Table ?? lower.Table,
        Schemas = Schemas ?? lower.Schemas,
        Layout = Layout ?? lower.Layout,
        Placeholders = Merge(Placeholders, lower.Placeholders),
        PlaceholderReplacement = PlaceholderReplacement ?? lower.PlaceholderReplacement,
        LockTimeout = LockTimeout ?? lower.LockTimeout,
        LockRetryCount = LockRetryCount ?? lower.LockRetryCount,
        StatementTimeout = StatementTimeout ?? lower.StatementTimeout,
        ConnectRetries = ConnectRetries ?? lower.ConnectRetries,
        ConnectRetriesInterval = ConnectRetriesInterval ?? lower.ConnectRetriesInterval,
        CleanEnabled = CleanEnabled ?? lower.CleanEnabled,
        Production = Production ?? lower.Production,
        Group = Group ?? lower.Group,
        Mixed = Mixed ?? lower.Mixed,
        OutOfOrder = OutOfOrder ?? lower.OutOfOrder,
        BaselineOnMigrate = BaselineOnMigrate ?? lower.BaselineOnMigrate,
        BaselineVersion = BaselineVersion ?? lower.BaselineVersion,
        BaselineDescription = BaselineDescription ?? lower.BaselineDescription,
        ValidateOnMigrate = ValidateOnMigrate ?? lower.ValidateOnMigrate,
        Target = Target ?? lower.Target,
        IgnoreMigrationPatterns = IgnoreMigrationPatterns ?? lower.IgnoreMigrationPatterns,
        LenientNaming = LenientNaming ?? lower.LenientNaming,
        CreateSchemas = CreateSchemas ?? lower.CreateSchemas,
        InstalledBy = InstalledBy ?? lower.InstalledBy,
        InitSql = InitSql ?? lower.InitSql,
        LintLevel = LintLevel ?? lower.LintLevel,
        SlowThreshold = SlowThreshold ?? lower.SlowThreshold,
        DriftIgnore = DriftIgnore ?? lower.DriftIgnore,
        SchemaFile = SchemaFile ?? lower.SchemaFile,
        Environment = Environment ?? lower.Environment,
    };

    private static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? higher, IReadOnlyDictionary<string, string>? lower)
    {
        if (higher is null || lower is null) return higher ?? lower;
        var merged = new Dictionary<string, string>(lower, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in higher) merged[name] = value;
        return merged;
    }
}
