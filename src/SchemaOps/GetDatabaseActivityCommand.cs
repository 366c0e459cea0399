using System.Management.Automation;
using SchemaOps.Engine.Diagnostics;

namespace SchemaOps.Commands;

/// <summary>The server's client sessions (long-running and idle-in-transaction flagged), or with -Summary their count against max_connections.</summary>
[Cmdlet(VerbsCommon.Get, "DatabaseActivity", DefaultParameterSetName = SessionsSet, HelpUri = HelpLinks.Module)]
[OutputType(typeof(SessionActivity), ParameterSetName = [SessionsSet])]
[OutputType(typeof(ActivitySummary), ParameterSetName = [SummarySet])]
public sealed class GetDatabaseActivityCommand : DatabaseCmdlet
{
    private const string SessionsSet = "Sessions";
    private const string SummarySet = "Summary";

    /// <summary>One summary object instead of the sessions.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SummarySet)]
    public SwitchParameter Summary { get; set; }

    /// <summary>An active query running longer than this is flagged LongRunning.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LongRunningThreshold { get; set; }

    [Parameter(ParameterSetName = SessionsSet)]
    public SwitchParameter FullQuery { get; set; }

    protected override void ProcessInput()
    {
        var target = RequestBuilder.Build(this).Target;
        var threshold = LongRunningThreshold ?? ActivityOperation.DefaultLongRunning;
        if (Summary.IsPresent) Run((sink, ct) => ActivityOperation.SummaryAsync(target, threshold, sink, ct));
        else
        {
            int? length = FullQuery.IsPresent ? null : 120;
            Run((sink, ct) => ActivityOperation.SessionsAsync(target, threshold, length, sink, ct));
        }
    }
}
