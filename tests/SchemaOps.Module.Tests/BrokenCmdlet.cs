using System.Management.Automation;

namespace SchemaOps.Module.Tests;

/// <summary>
/// A cmdlet that breaks every rule on purpose. It lives in the test assembly, never in the module: the
/// negative test proves the rules would catch a future cmdlet written like this.
/// </summary>
[Cmdlet("Migrate", "Everything", ConfirmImpact = ConfirmImpact.High)]
public sealed class BrokenCmdlet : PSCmdlet
{
    [Parameter(ValueFromPipeline = true, Position = 0)]
    public string? Password { get; set; }

    [Parameter(ValueFromPipeline = true, Position = 0)]
    public bool Force { get; set; }
}
