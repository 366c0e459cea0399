namespace SchemaOps.Commands;

/// <summary>Where Get-Help -Online goes.</summary>
internal static class HelpLinks
{
    public const string Module = "https://github.com/schemaops/schemaops/blob/main/README.md#the-powershell-module";
}
