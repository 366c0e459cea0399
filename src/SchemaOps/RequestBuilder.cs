using System.Management.Automation;
using System.Management.Automation.Host;
using SchemaOps.Engine.Configuration;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Turns a cmdlet's shared parameters into engine requests through the config resolver. Called from method bodies only.</summary>
internal static class RequestBuilder
{
    /// <summary>The one database the cmdlet works on.</summary>
    public static MigrationRequest Build(DatabaseCmdlet cmdlet, Func<ConfigValues, ConfigValues>? parameters = null, Func<MigrationSettings, MigrationSettings>? more = null)
    {
        if (cmdlet.Environment is { Length: > 1 })
            throw new PSArgumentException("only Invoke-Migration takes several environments (a fleet)", nameof(cmdlet.Environment));
        return BuildAll(cmdlet, parameters, more)[0];
    }

    /// <summary>One request per -Environment given, or the single one.</summary>
    public static List<MigrationRequest> BuildAll(DatabaseCmdlet cmdlet, Func<ConfigValues, ConfigValues>? parameters = null, Func<MigrationSettings, MigrationSettings>? more = null) =>
        // Config and connection mistakes become errors with their stable ids, like the operations' own.
        cmdlet.Guard(() => Resolve(cmdlet, parameters, more));

    /// <summary>
    /// Invoke-MigrationRehearsal and Test-DatabaseBackup -Ephemeral: the settings, and a database only when named on
    /// purpose (-ConnectionString or -Environment), never DATABASE_URL or FLYWAY_URL (a rehearsal undoes what it
    /// applies). Null: a throwaway server.
    /// </summary>
    public static (MigrationSettings Settings, Engine.Connections.ConnectionTarget? Target) ForThrowaway(DatabaseCmdlet cmdlet) => cmdlet.Guard(() =>
    {
        if (cmdlet.Environment is { Length: > 1 }) throw new PSArgumentException("a rehearsal takes one -Environment", nameof(cmdlet.Environment));
        var (settings, target) = ConfigResolver.ResolveForRehearsal(new ConfigRequest
        {
            Parameters = Values(cmdlet) with { Environment = cmdlet.Environment?.FirstOrDefault() }, ConfigPath = cmdlet.ResolvedConfigPath, WorkingDirectory = cmdlet.WorkingDirectory,
        }, cmdlet.WriteWarning, cmdlet.WriteVerbose);
        return (settings, target);
    });

    private static List<MigrationRequest> Resolve(DatabaseCmdlet cmdlet, Func<ConfigValues, ConfigValues>? parameters, Func<MigrationSettings, MigrationSettings>? more)
    {
        var values = Values(cmdlet);
        if (parameters is not null) values = parameters(values);

        var environments = cmdlet.Environment is { Length: > 0 } names ? names.Select(n => (string?)n) : [null];
        return environments.Select(environment =>
        {
            var request = ConfigResolver.Resolve(
                new ConfigRequest { Parameters = values with { Environment = environment }, ConfigPath = cmdlet.ResolvedConfigPath, WorkingDirectory = cmdlet.WorkingDirectory },
                cmdlet.WriteWarning, cmdlet.WriteVerbose);
            var settings = request.Settings with { LockWaitTimeout = cmdlet.LockWait ?? request.Settings.LockWaitTimeout };
            return request with { Settings = more is null ? settings : more(settings) };
        }).ToList();
    }

    /// <summary>What the cmdlet's shared parameters say, as the highest configuration layer.</summary>
    private static ConfigValues Values(DatabaseCmdlet cmdlet)
    {
        if (cmdlet.ConnectionString is { } text && Engine.Connections.ConnectionTarget.HoldsPassword(text))
            cmdlet.WriteWarning(Engine.Connections.ConnectionTarget.InlinePasswordWarning);
        var credential = cmdlet.Credential?.GetNetworkCredential();
        var values = new ConfigValues
        {
            Url = cmdlet.ConnectionString,
            User = string.IsNullOrEmpty(credential?.UserName) ? null : credential.UserName,
            Password = string.IsNullOrEmpty(credential?.Password) ? null : credential.Password,
            Locations = cmdlet.Locations,
            Schemas = cmdlet.Schema,
            Table = cmdlet.Table,
            Layout = cmdlet.Layout,
            ConnectRetries = cmdlet.ConnectRetries,
            LenientNaming = cmdlet.Lenient ? true : null,
        };
        if (cmdlet is MigrationCmdlet reader)
            values = values with
            {
                PlaceholderReplacement = reader.NoPlaceholderReplacement.IsPresent ? false : null,
                Mixed = reader.Mixed.IsPresent ? true : null,
                Placeholders = reader.Placeholder?.Cast<System.Collections.DictionaryEntry>()
                    .ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase),
            };
        if (cmdlet is ScriptRunningCmdlet runner)
            values = values with { LockTimeout = runner.LockTimeout, LockRetryCount = runner.LockRetryCount, StatementTimeout = runner.StatementTimeout };
        return values;
    }

    /// <summary>
    /// For a destructive change to a production database: -Force, or a yes to a prompt that -Confirm:$false
    /// does not skip. Under -WhatIf nothing is asked (nothing will change, and the engine asks nothing either).
    /// </summary>
    public static MigrationSettings ConfirmProduction(PSCmdlet cmdlet, bool force, MigrationSettings settings, string change)
    {
        if (!settings.Production || cmdlet.MyInvocation.BoundParameters.ContainsKey("WhatIf")) return settings;
        bool confirmed;
        try
        {
            confirmed = force || cmdlet.ShouldContinue($"{change} on a production database (environment '{settings.Environment}')?", "Production database");
        }
        catch (Exception e) when (e is PSInvalidOperationException or HostException)
        {
            confirmed = false; // a non-interactive host cannot ask: the engine's error then says to use -Force
        }
        return settings with { ProductionConfirmed = confirmed };
    }
}
