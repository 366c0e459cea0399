using System.Management.Automation;

namespace SchemaOps.Commands;

/// <summary>The parameters every database cmdlet shares, one spelling everywhere, and the request they build.</summary>
public abstract class DatabaseCmdlet : SchemaOpsCmdlet
{
    /// <summary>
    /// An Npgsql connection string, a postgres:// URL or a jdbc:postgresql:// URL. Default: the config
    /// environment's url, $env:FLYWAY_URL or $env:DATABASE_URL. From the pipeline by property name only
    /// (MigrationTarget, EphemeralDatabase): taken by value, any piped object's text would become a connection string.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    public string? ConnectionString { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(SchemaNameCompleter))]
    public string[]? Schema { get; set; }

    /// <summary>The history table; null: the layout's default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string? Table { get; set; }

    /// <summary>Null: the config's layout, else Auto (from the file names or the database's history table).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public MigrationLayout? Layout { get; set; }

    /// <summary>
    /// The config environment (dev, staging, production) whose settings to use; without a config file, a label
    /// for the database. Invoke-Migration takes several (a fleet).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string[]? Environment { get; set; }

    /// <summary>Flyway's connectRetries: a failed first connection is tried again up to this many times, pausing 1 s, doubling, at most connectRetriesInterval.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? ConnectRetries { get; set; }

    /// <summary>schemaops.json, flyway.toml or flyway.conf; default: $env:SCHEMAOPS_CONFIG, else $env:FLYWAY_CONFIG_FILES, else the first of those in the current location.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>Migration folders, resolved; null: the config's, else the default.</summary>
    internal virtual IReadOnlyList<string>? Locations => null;

    /// <summary>PowerShell's current location, where a config file is looked for and relative paths start.</summary>
    internal string WorkingDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    internal string? ResolvedConfigPath => ConfigPath is null ? null : ResolvePath(ConfigPath);

    internal virtual bool Lenient => false;

    /// <summary>How long to wait for another runner's migration lock; declared by the cmdlets that take it. Null: the engine's default.</summary>
    internal virtual TimeSpan? LockWait => null;

    // No engine type appears in this class's fields or signatures (RequestBuilder builds the requests), so
    // PowerShell can load the cmdlets before the engine's load context is hooked up.
}

/// <summary>Database cmdlets that also read migration folders.</summary>
public abstract class MigrationCmdlet : DatabaseCmdlet
{
    /// <summary>Migration folders, searched recursively. Default: the config's locations, else db/migration (dbmate's db/migrations when only that exists).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotEmpty]
    public string[]? Path { get; set; }

    [Parameter]
    public SwitchParameter LenientNaming { get; set; }

    /// <summary>Flyway's mixed: a statement that cannot run in a transaction may share a script with other changes.</summary>
    [Parameter]
    public SwitchParameter Mixed { get; set; }

    /// <summary>Values for ${name} placeholders in the scripts.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public System.Collections.Hashtable? Placeholder { get; set; }

    [Parameter]
    public SwitchParameter NoPlaceholderReplacement { get; set; }

    internal override IReadOnlyList<string>? Locations => Path?.Select(ResolvePath).ToList();

    internal override bool Lenient => LenientNaming.IsPresent;
}

/// <summary>
/// Cmdlets that run migration scripts against a live database, with the lock-safety controls. Unset
/// means the engine's default (the one place defaults live).
/// </summary>
public abstract class ScriptRunningCmdlet : MigrationCmdlet
{
    /// <summary>lock_timeout for each transactional migration; 0s waits as long as it takes.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockTimeout { get; set; }

    [Parameter]
    [ValidateRange(0, 1000)]
    public int? LockRetryCount { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan? StatementTimeout { get; set; }
}
