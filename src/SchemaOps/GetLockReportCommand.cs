using System.Management.Automation;
using SchemaOps.Engine.Diagnostics;

namespace SchemaOps.Commands;

/// <summary>Who holds and who waits for which lock, as a blocking tree; -Watch polls until Ctrl+C.</summary>
[Cmdlet(VerbsCommon.Get, "LockReport", HelpUri = HelpLinks.Module)]
[OutputType(typeof(LockReportEntry))]
public sealed class GetLockReportCommand : DatabaseCmdlet
{
    /// <summary>Only locks on this relation: table or schema.table.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Relation { get; set; }

    /// <summary>Only blocking trees in which someone has waited at least this long.</summary>
    [Parameter]
    [Duration]
    public TimeSpan MinimumWait { get; set; }

    /// <summary>The whole query text instead of its first 120 characters.</summary>
    [Parameter]
    public SwitchParameter FullQuery { get; set; }

    /// <summary>Report again every -Interval until Ctrl+C (or -Count reports).</summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    protected override void ProcessInput()
    {
        var target = RequestBuilder.Build(this).Target;
        var options = new LockReportOptions
        {
            Relation = Relation, MinimumWait = MinimumWait, QueryLength = FullQuery.IsPresent ? null : new LockReportOptions().QueryLength,
            Interval = Watch.IsPresent || Count is not null ? Interval : null, Count = Count,
        };
        Run((sink, ct) => LockReportOperation.ReportAsync(target, options, sink, ct));
    }
}
