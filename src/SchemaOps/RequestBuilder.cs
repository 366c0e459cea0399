using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Turns a cmdlet's shared parameters into an engine request. Called from method bodies only.</summary>
internal static class RequestBuilder
{
    public static MigrationRequest Build(DatabaseCmdlet cmdlet, Func<MigrationSettings, MigrationSettings>? more = null)
    {
        var settings = new MigrationSettings
        {
            Locations = cmdlet.Locations,
            LenientNaming = cmdlet.Lenient,
            Schemas = cmdlet.Schema ?? [],
            Table = cmdlet.Table,
            Layout = cmdlet.Layout,
        };
        if (cmdlet is MigrationCmdlet reader)
            settings = settings with
            {
                PlaceholderReplacement = !reader.NoPlaceholderReplacement.IsPresent,
                Placeholders = reader.Placeholder?.Cast<System.Collections.DictionaryEntry>()
                    .ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase) ?? settings.Placeholders,
            };
        if (cmdlet is ScriptRunningCmdlet runner)
            settings = settings with
            {
                LockTimeout = runner.LockTimeout ?? settings.LockTimeout,
                LockRetryCount = runner.LockRetryCount ?? settings.LockRetryCount,
                StatementTimeout = runner.StatementTimeout ?? settings.StatementTimeout,
            };
        var target = ConnectionTarget.Parse(cmdlet.ConnectionString, cmdlet.Credential?.GetNetworkCredential());
        return new MigrationRequest(target, more is null ? settings : more(settings));
    }
}
