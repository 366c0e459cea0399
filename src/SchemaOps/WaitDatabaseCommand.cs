using System.Management.Automation;
using SchemaOps.Engine.Diagnostics;

namespace SchemaOps.Commands;

/// <summary>Waits until the database accepts connections (a container starting, a failover), or fails when the timeout passes first.</summary>
[Cmdlet(VerbsLifecycle.Wait, "Database", HelpUri = HelpLinks.Module)]
[OutputType(typeof(DatabaseReadiness))]
public sealed class WaitDatabaseCommand : DatabaseCmdlet
{
    /// <summary>How long to wait; default 60 s.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? Timeout { get; set; }

    protected override void ProcessInput()
    {
        var target = RequestBuilder.Build(this).Target;
        var timeout = Timeout ?? WaitOperation.DefaultTimeout;
        Run((sink, ct) => WaitOperation.WaitAsync(target, timeout, sink, ct));
    }
}
