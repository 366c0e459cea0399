using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Undoes applied migrations with their undo scripts (U files, down sections, .down.sql), newest first. Destructive: ConfirmImpact High.</summary>
[Cmdlet(VerbsCommon.Undo, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = CountSet, HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationResult))]
public sealed class UndoMigrationCommand : ScriptRunningCmdlet
{
    private const string CountSet = "Count";
    private const string TargetSet = "Target";
    private const string AllSet = "All";

    /// <summary>How many of the most recently applied migrations to undo.</summary>
    [Parameter(ParameterSetName = CountSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    /// <summary>Undo every applied migration above this version.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TargetSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationVersionCompleter))]
    public string? Target { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>How long to wait for another runner's migration lock; default: the engine's (5 minutes).</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockWaitTimeout { get; set; }

    internal override TimeSpan? LockWait => LockWaitTimeout;

    /// <summary>Undo in a production environment without the prompt that -Confirm:$false does not skip.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this, more: s => RequestBuilder.ConfirmProduction(this, Force.IsPresent, s, "Undo migrations"));
        var scope = ParameterSetName switch
        {
            TargetSet => new UndoScope(Target: Target),
            AllSet => new UndoScope(All: true),
            _ => UndoScope.Last(Count),
        };
        Run((sink, ct) => UndoOperation.UndoAsync(request, scope, sink, ct));
    }
}
