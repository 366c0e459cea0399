using System.Management.Automation;

namespace SchemaOps.PowerShell.Tests;

/// <summary>One session with the module imported, shared by a test class that only reads (commands, help, views).</summary>
public sealed class ModuleSession : IDisposable
{
    public Pwsh Pwsh { get; } = new();

    /// <summary>The module's cmdlets as PowerShell sees them.</summary>
    public IReadOnlyList<CmdletInfo> Cmdlets => _cmdlets ??= Pwsh.Run("Get-Command -Module SchemaOps -CommandType Cmdlet").Succeeded()
        .Output.Select(o => (CmdletInfo)o.BaseObject).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    private IReadOnlyList<CmdletInfo>? _cmdlets;

    public CmdletInfo Cmdlet(string name) => Cmdlets.Single(c => c.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in ManifestCmdlets()) data.Add(name);
        return data;
    }

    /// <summary>The export list of the module's manifest (read without PowerShell, for theory data).</summary>
    public static IEnumerable<string> ManifestCmdlets()
    {
        var manifest = File.ReadAllText(Path.Combine(Repo.Root, "module", "SchemaOps.psd1"));
        var block = System.Text.RegularExpressions.Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        return System.Text.RegularExpressions.Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
    }

    public void Dispose() => Pwsh.Dispose();
}
