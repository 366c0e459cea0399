using System.Management.Automation;
using SchemaOps.Engine.Diagnostics;

namespace SchemaOps.Commands;

/// <summary>One HealthCheck per check (connectivity, connections, long transactions, prepared transactions left behind, invalid indexes, failed migrations, synchronous replication, replication lag).</summary>
[Cmdlet(VerbsDiagnostic.Test, "DatabaseHealth", HelpUri = HelpLinks.Module)]
[OutputType(typeof(HealthCheck))]
public sealed class TestDatabaseHealthCommand : DatabaseCmdlet
{
    [Parameter]
    [ValidateRange(1, 100)]
    public double? MaxConnectionUsePercent { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan? LongTransactionThreshold { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan? MaxReplicationLag { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this);
        var d = new HealthOptions();
        var options = new HealthOptions
        {
            MaxConnectionUsePercent = MaxConnectionUsePercent ?? d.MaxConnectionUsePercent,
            LongTransaction = LongTransactionThreshold ?? d.LongTransaction,
            MaxReplicationLag = MaxReplicationLag ?? d.MaxReplicationLag,
        };
        Run((sink, ct) => HealthOperation.CheckAsync(request, options, sink, ct));
    }
}
