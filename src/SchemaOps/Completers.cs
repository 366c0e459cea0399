using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using SchemaOps.Engine.Configuration;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Commands;

/// <summary>Shared plumbing of the completers: prefix matching and reading the other parameters typed so far.</summary>
internal static class Completion
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string word) =>
        values.Where(v => v.StartsWith(word.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
              .Select(v => new CompletionResult(v.Contains(' ') ? $"'{v}'" : v, v, CompletionResultType.ParameterValue, v));

    public static IEnumerable<string> Strings(IDictionary bound, string name) => bound[name] switch
    {
        string s => [s],
        IEnumerable e => e.Cast<object>().Select(o => o.ToString()!),
        _ => [],
    };

    /// <summary>
    /// A path as typed, resolved against PowerShell's current location (not the process's). Completion runs
    /// while TabExpansion2 is running, when the runspace's SessionStateProxy refuses access; a nested command
    /// in the current runspace is how a completer may read it.
    /// </summary>
    public static string Resolve(string path)
    {
        string? location = null;
        if (Runspace.DefaultRunspace is not null)
        {
            using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            location = ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").Invoke<PathInfo>().FirstOrDefault() is { Provider.Name: "FileSystem" } here
                ? here.ProviderPath : null;
        }
        return location is null ? Path.GetFullPath(path) : Path.GetFullPath(path, location);
    }
}

/// <summary>-Target: the versions found in -Path, or the default folder (offline), in any layout.</summary>
public sealed class MigrationVersionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var paths = Completion.Strings(fakeBoundParameters, "Path").DefaultIfEmpty(MigrationSettings.DefaultLocationIn(Completion.Resolve("."))).Select(Completion.Resolve).ToList();
        return Completion.Matching(MigrationLayouts.Versions(paths).Reverse(), wordToComplete); // newest first
    }
}

/// <summary>-Schema: the database's schemas, when -ConnectionString or DATABASE_URL says where it is.</summary>
public sealed class SchemaNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = Completion.Strings(fakeBoundParameters, "ConnectionString").FirstOrDefault();
        ConnectionTarget target;
        try
        {
            target = ConnectionTarget.Parse(connection);
        }
        catch (SchemaOpsException)
        {
            return [];
        }
        // A completer is synchronous: block, within the listing's own 2 s. The engine never resumes on the caller's
        // context (ConfigureAwait(false) throughout, an analyzer error otherwise), so blocking here cannot deadlock.
        var schemas = SchemaListing.ListAsync(target, TimeSpan.FromSeconds(2), CancellationToken.None).GetAwaiter().GetResult();
        return Completion.Matching(schemas, wordToComplete);
    }
}

/// <summary>-IgnoreMigrationPattern: every type:state pattern.</summary>
public sealed class IgnorePatternCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(IgnorePattern.All, wordToComplete);
}

/// <summary>-Environment: the environments of the config file (-ConfigPath, or the one found in the current location).</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var path = Completion.Strings(fakeBoundParameters, "ConfigPath").Select(Completion.Resolve).FirstOrDefault()
                   ?? ConfigFile.Discover(Completion.Resolve("."));
        try
        {
            return path is null ? [] : Completion.Matching(ConfigFile.Load(path, warning: null).EnvironmentNames, wordToComplete);
        }
        catch (SchemaOpsException)
        {
            return []; // a broken config file is reported when the command runs, not while typing
        }
    }
}
