using System.Management.Automation;
using System.Xml.Linq;

namespace SchemaOps.Module.Tests;

/// <summary>
/// The rules every SchemaOps cmdlet must keep, as data: each returns the violations it finds, so the same
/// rules run over the real cmdlets (expecting none) and over a deliberately broken one (expecting each).
/// </summary>
public static class ContractRules
{
    // PowerShell's approved verbs (Get-Verb).
    public static readonly HashSet<string> ApprovedVerbs =
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

    // Verbs whose cmdlets only read; every other cmdlet changes something and must support ShouldProcess,
    // unless it is listed as building an object in memory only. Wait only waits (Wait-Job, Wait-Process have no -WhatIf).
    private static readonly HashSet<string> ReadOnlyVerbs = ["Get", "Test", "Find", "Search", "Compare", "Measure", "Watch", "Resolve", "Show", "Read", "Wait"];
    public static readonly HashSet<string> InMemoryOnly = ["New-MigrationTarget"];

    // Destructive verbs: the only ones allowed (and required) to use ConfirmImpact High.
    private static readonly HashSet<string> DestructiveVerbs = ["Clear", "Remove", "Restore", "Undo", "Reset"];

    // Removals of what this session made throwaway by design: Medium (as Remove-Item and Remove-Job are),
    // since High would prompt in every test teardown and fail a -NonInteractive CI run.
    public static readonly HashSet<string> ThrowawayRemovals = ["Remove-EphemeralDatabase"];

    public static IEnumerable<string> Violations(CmdletInfo c, ISet<string> tableViews)
    {
        if (!ApprovedVerbs.Contains(c.Verb)) yield return $"{c.Name}: '{c.Verb}' is not an approved verb";
        var changesState = !ReadOnlyVerbs.Contains(c.Verb) && !InMemoryOnly.Contains(c.Name);
        if (changesState && !c.SupportsShouldProcess) yield return $"{c.Name}: changes state but does not support ShouldProcess";
        if (c.ConfirmImpact == nameof(ConfirmImpact.High) && !DestructiveVerbs.Contains(c.Verb)) yield return $"{c.Name}: ConfirmImpact High on a verb that is not destructive";
        if (DestructiveVerbs.Contains(c.Verb) && !ThrowawayRemovals.Contains(c.Name) && c.ConfirmImpact != nameof(ConfirmImpact.High)) yield return $"{c.Name}: destructive but ConfirmImpact is not High";
        if (ThrowawayRemovals.Contains(c.Name) && c.ConfirmImpact != nameof(ConfirmImpact.Medium)) yield return $"{c.Name}: a throwaway removal, but ConfirmImpact is not Medium";

        var outputs = CmdletMetadata.OutputTypes(c.Type).ToList();
        if (outputs.Count == 0) yield return $"{c.Name}: no [OutputType]";
        foreach (var o in outputs.Where(o => !tableViews.Contains(o))) yield return $"{c.Name}: output type {o} has no table view";

        foreach (var p in c.Parameters.Where(p => p.Type == typeof(string) || p.Type == typeof(string[])))
            if (p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("Secret", StringComparison.OrdinalIgnoreCase))
                yield return $"{c.Name}: -{p.Name} takes a secret as a string (use PSCredential)";
        if (c.Parameters.Any(p => p.Type == typeof(bool))) yield return $"{c.Name}: a bool parameter (use SwitchParameter)";

        foreach (var set in c.Parameters.GroupBy(p => p.ParameterSet ?? ParameterAttribute.AllParameterSets))
        {
            if (set.Count(p => p.FromPipeline) > 1) yield return $"{c.Name}: more than one ValueFromPipeline parameter in set {set.Key}";
            foreach (var clash in set.Where(p => p.Position is not null).GroupBy(p => p.Position).Where(g => g.Count() > 1))
                yield return $"{c.Name}: parameters {string.Join(", ", clash.Select(p => p.Name))} share position {clash.Key} in set {set.Key}";
        }
    }

    public static ISet<string> TableViews() =>
        XDocument.Load(Path.Combine(ModuleContractTests.Root, "module", "SchemaOps.Format.ps1xml")).Descendants("View")
            .Where(v => v.Element("TableControl") is not null).Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value).ToHashSet();
}
