using System.Management.Automation;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>The parameters every database cmdlet shares, one spelling everywhere, and the request they build.</summary>
public abstract class DatabaseCmdlet : SchemaOpsCmdlet
{
    /// <summary>An Npgsql connection string, a postgres:// URL or a jdbc:postgresql:// URL. Default: $env:DATABASE_URL.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    public string? ConnectionString { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SchemaNameCompleter))]
    public string[]? Schema { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = "flyway_schema_history";

    protected MigrationRequest BuildRequest(Func<MigrationSettings, MigrationSettings>? more = null)
    {
        var settings = Settings(new MigrationSettings { Schemas = Schema ?? [], Table = Table });
        var target = ConnectionTarget.Parse(ConnectionString, Credential?.GetNetworkCredential());
        return new MigrationRequest(target, more is null ? settings : more(settings));
    }

    /// <summary>Adds what a derived class's own shared parameters say.</summary>
    private protected virtual MigrationSettings Settings(MigrationSettings settings) => settings;
}

/// <summary>Database cmdlets that also read migration folders.</summary>
public abstract class MigrationCmdlet : DatabaseCmdlet
{
    /// <summary>Migration folders, searched recursively.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = ["db/migration"];

    [Parameter]
    public SwitchParameter LenientNaming { get; set; }

    private protected override MigrationSettings Settings(MigrationSettings settings) =>
        settings with { Locations = Path.Select(ResolvePath).ToList(), LenientNaming = LenientNaming.IsPresent };
}
