using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// A PowerShell session as a user's pwsh has it: a default session state with the built module imported
/// from the repository root (Import-Module ./SchemaOps.psd1, the README's way). Each call runs a script and
/// returns everything it wrote, by stream.
/// </summary>
public sealed class Pwsh : IDisposable
{
    private readonly Runspace _runspace;

    public Pwsh(string? manifest = null, string? location = null)
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        var imported = Run($"Import-Module '{manifest ?? Repo.Manifest}' -ErrorAction Stop");
        if (imported.Terminating is not null) throw imported.Terminating;
        if (location is not null) Run($"Set-Location -LiteralPath '{location}'");
    }

    public Runspace Runspace => _runspace;

    /// <summary>Runs <paramref name="script"/> with the named variables set; a terminating error is returned, not thrown.</summary>
    public PwshResult Run(string script, IDictionary? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
            foreach (DictionaryEntry v in variables) _runspace.SessionStateProxy.SetVariable((string)v.Key, v.Value);
        ps.AddScript(script);
        Collection<PSObject> output = [];
        RuntimeException? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        return new PwshResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(), terminating);
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What a script wrote: output objects, non-terminating errors, warnings, verbose lines, and the terminating error if any.</summary>
public sealed record PwshResult(
    IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<string> Warnings, IReadOnlyList<string> Verbose, RuntimeException? Terminating)
{
    /// <summary>The error that ended the script or the first one written, whichever there is.</summary>
    public ErrorRecord? FirstError => Terminating?.ErrorRecord ?? Errors.FirstOrDefault();

    /// <summary>Fails the test with PowerShell's own words when anything went wrong.</summary>
    public PwshResult Succeeded()
    {
        var problems = Errors.Select(e => e.ToString()).ToList();
        if (Terminating is not null) problems.Insert(0, $"{Terminating.ErrorRecord.FullyQualifiedErrorId}: {Terminating.Message}");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        return this;
    }

    public T Single<T>() => (T)Assert.Single(Output).BaseObject;

    public string Text => string.Join(Environment.NewLine, Output.Select(o => o.ToString()));
}

/// <summary>Where things are in the repository.</summary>
public static class Repo
{
    public static readonly string Root = Find();
    public static string Manifest => Path.Combine(Root, "SchemaOps.psd1");
    public static string BuildFolder => Path.Combine(Root, "out", "build");
    public static string Examples => Path.Combine(Root, "examples");
    public static string ParkingMigrations => Path.Combine(Root, "examples", "parking", "db", "migration");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchemaOps.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
