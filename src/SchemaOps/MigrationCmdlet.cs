using System.Management.Automation;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>The parameters every database cmdlet shares, one spelling everywhere, and the request they build.</summary>
public abstract class MigrationCmdlet : SchemaOpsCmdlet
{
    /// <summary>An Npgsql connection string, a postgres:// URL or a jdbc:postgresql:// URL. Default: $env:DATABASE_URL.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    public string? ConnectionString { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Migration folders, searched recursively.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = ["db/migration"];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Schema { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Table { get; set; } = "flyway_schema_history";

    [Parameter]
    public SwitchParameter LenientNaming { get; set; }

    protected MigrationRequest BuildRequest(Func<MigrationSettings, MigrationSettings>? more = null)
    {
        var settings = new MigrationSettings
        {
            Locations = Path.Select(ResolvePath).ToList(),
            Schemas = Schema ?? [],
            Table = Table,
            LenientNaming = LenientNaming.IsPresent,
        };
        var target = ConnectionTarget.Parse(ConnectionString, Credential?.GetNetworkCredential());
        return new MigrationRequest(target, more is null ? settings : more(settings));
    }
}
