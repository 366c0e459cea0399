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
    private static readonly Assembly Cmdlets = typeof(Commands.InvokeMigrationCommand).Assembly;

    // PowerShell's approved verbs (Get-Verb) that SchemaOps may use.
    private static readonly HashSet<string> ApprovedVerbs =
    [
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New", "Open", "Optimize",
        "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show", "Skip", "Split", "Step", "Switch",
        "Undo", "Unlock", "Watch", "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit",
        "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync",
        "Unpublish", "Update", "Debug", "Measure", "Repair", "Resolve", "Test", "Trace", "Approve", "Assert", "Build", "Complete", "Confirm",
        "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke", "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit",
        "Suspend", "Uninstall", "Unregister", "Wait", "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect", "Use", "Connect",
        "Disconnect", "Read", "Receive", "Send", "Write",
    ];

    // Verbs whose cmdlets only read: everything else changes something and must support ShouldProcess.
    private static readonly HashSet<string> ReadOnlyVerbs = ["Get", "Test", "Find", "Search", "Compare", "Measure", "Watch", "Resolve", "Show", "Read"];

    public static TheoryData<Type> CmdletTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var t in Cmdlets.GetTypes().Where(t => CmdletData(t) is not null)) data.Add(t);
        return data;
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_in_the_assembly()
    {
        var manifest = File.ReadAllText(Path.Combine(Root, "SchemaOps.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).Order();
        var found = Cmdlets.GetTypes().Select(CmdletData).Where(c => c is not null).Select(c => $"{c!.Value.Verb}-{c.Value.Noun}").Order();
        Assert.Equal(found, exported);
        Assert.DoesNotContain("*", manifest[manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal)..].Split('\n')[0]);
    }

    [Fact]
    public void Manifest_version_is_the_one_in_Directory_Build_props()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var version = props.Descendants("Version").Single().Value;
        Assert.Matches($"ModuleVersion\\s*=\\s*'{Regex.Escape(version)}'", File.ReadAllText(Path.Combine(Root, "SchemaOps.psd1")));
    }

    [Theory]
    [MemberData(nameof(CmdletTypes))]
    public void Every_cmdlet_uses_an_approved_verb(Type cmdlet) => Assert.Contains(CmdletData(cmdlet)!.Value.Verb, ApprovedVerbs);

    [Theory]
    [MemberData(nameof(CmdletTypes))]
    public void Every_cmdlet_that_changes_state_supports_ShouldProcess(Type cmdlet)
    {
        var c = CmdletData(cmdlet)!.Value;
        if (!ReadOnlyVerbs.Contains(c.Verb)) Assert.True(c.SupportsShouldProcess, $"{c.Verb}-{c.Noun} changes state but has no SupportsShouldProcess");
    }

    [Theory]
    [MemberData(nameof(CmdletTypes))]
    public void Every_cmdlet_declares_an_output_type_with_a_table_view(Type cmdlet)
    {
        var outputTypes = cmdlet.GetCustomAttributesData().Where(a => a.AttributeType == typeof(OutputTypeAttribute))
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(a => (Type)a.Value!).ToList();
        Assert.NotEmpty(outputTypes);
        var views = XDocument.Load(Path.Combine(Root, "module", "SchemaOps.Format.ps1xml")).Descendants("View")
            .Where(v => v.Element("TableControl") is not null).Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value).ToHashSet();
        Assert.All(outputTypes, t => Assert.Contains(t.FullName!, views));
    }

    [Theory]
    [MemberData(nameof(CmdletTypes))]
    public void No_cmdlet_takes_a_password_as_a_string(Type cmdlet)
    {
        var offenders = cmdlet.GetProperties().Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType == typeof(ParameterAttribute)))
            .Where(p => p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase) && p.PropertyType == typeof(string));
        Assert.Empty(offenders);
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

    /// <summary>Verb, noun and ShouldProcess support from raw attribute data (the stub's attribute properties read back empty).</summary>
    private static (string Verb, string Noun, bool SupportsShouldProcess)? CmdletData(Type t)
    {
        var a = t.GetCustomAttributesData().FirstOrDefault(x => x.AttributeType == typeof(CmdletAttribute));
        if (a is null) return null;
        var shouldProcess = a.NamedArguments.Any(n => n.MemberName == nameof(CmdletAttribute.SupportsShouldProcess) && (bool)n.TypedValue.Value!);
        return ((string)a.ConstructorArguments[0].Value!, (string)a.ConstructorArguments[1].Value!, shouldProcess);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchemaOps.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
