using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SchemaOps.Module.Tests;

/// <summary>
/// Checks the module by construction, since no pwsh runs here: attribute data of the built cmdlet assembly
/// (read, never executed), the manifest and the format file.
/// </summary>
public class ModuleContractTests
{
    internal static readonly string Root = FindRoot();

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in CmdletMetadata.All()) data.Add(c.Name);
        return data;
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_in_the_assembly()
    {
        var manifest = File.ReadAllText(Path.Combine(Root, "module", "SchemaOps.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).Order();
        var found = CmdletMetadata.All().Select(c => c.Name).Order();
        Assert.Equal(found, exported);
        Assert.DoesNotContain("*", manifest[manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal)..].Split('\n')[0]);
    }

    [Theory]
    [InlineData("module/SchemaOps.psd1")]
    [InlineData("SchemaOps.psd1")]
    public void Manifest_version_and_guid_are_the_module_s_own(string manifest)
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var version = props.Descendants("Version").Single().Value;
        var text = File.ReadAllText(Path.Combine(Root, manifest));
        Assert.Matches($"ModuleVersion\\s*=\\s*'{Regex.Escape(version)}'", text);
        var guid = Regex.Match(File.ReadAllText(Path.Combine(Root, "module", "SchemaOps.psd1")), @"GUID\s*=\s*'([^']+)'").Groups[1].Value;
        Assert.Matches($"GUID\\s*=\\s*'{guid}'", text);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_keeps_the_contract_rules(string name)
    {
        var cmdlet = CmdletMetadata.All().Single(c => c.Name == name);
        Assert.Empty(ContractRules.Violations(cmdlet, ContractRules.TableViews()));
    }

    [Fact]
    public void The_rules_catch_a_deliberately_broken_cmdlet()
    {
        var broken = CmdletMetadata.Read(typeof(BrokenCmdlet))!;
        var violations = ContractRules.Violations(broken, ContractRules.TableViews()).ToList();
        Assert.Contains(violations, v => v.Contains("not an approved verb"));
        Assert.Contains(violations, v => v.Contains("does not support ShouldProcess"));
        Assert.Contains(violations, v => v.Contains("ConfirmImpact High on a verb that is not destructive"));
        Assert.Contains(violations, v => v.Contains("no [OutputType]"));
        Assert.Contains(violations, v => v.Contains("takes a secret as a string"));
        Assert.Contains(violations, v => v.Contains("a bool parameter"));
        Assert.Contains(violations, v => v.Contains("more than one ValueFromPipeline"));
        Assert.Contains(violations, v => v.Contains("share position 0"));
    }

    [Fact]
    public void The_build_folder_does_not_ship_the_PowerShell_reference_assembly()
    {
        Assert.True(File.Exists(Path.Combine(Root, "out", "build", "SchemaOps.dll")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "out", "build"), "System.Management.Automation.dll", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_build_folder_needs_nothing_newer_than_pwsh_7_4_ships()
    {
        // pwsh 7.4 runs on .NET 8: a System.* or Microsoft.Extensions.* assembly of a later version at the module
        // root would collide with the one pwsh has already loaded (Dependencies/ is isolated; the root is not).
        var tooNew = Directory.GetFiles(Path.Combine(Root, "out", "build"), "*.dll")
            .Where(f => Path.GetFileName(f).StartsWith("System.") || Path.GetFileName(f).StartsWith("Microsoft.Extensions."))
            .Select(AssemblyName.GetAssemblyName)
            .Where(a => a.Version!.Major > 8)
            .Select(a => a.FullName);
        Assert.Empty(tooNew);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchemaOps.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
