using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Commands;

/// <summary>Stops throwaway PostgreSQL servers started by New-EphemeralDatabase in this session (runspace) and deletes their data.</summary>
/// ConfirmImpact Medium, not the High of other removals: these servers are throwaway by design, and a
/// prompt in every test teardown would fail a -NonInteractive CI run.
[Cmdlet(VerbsCommon.Remove, "EphemeralDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ById, HelpUri = HelpLinks.Module)]
[OutputType(typeof(EphemeralDatabase))]
public sealed class RemoveEphemeralDatabaseCommand : SchemaOpsCmdlet
{
    private const string ById = "Id";

    /// <summary>The servers' ids; from New-EphemeralDatabase's output by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EphemeralIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>Every throwaway server this session started.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "All")]
    public SwitchParameter All { get; set; }

    /// <summary>Write each removed server's EphemeralDatabase (for a log of what was removed).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessInput()
    {
        // One error per unknown id, not the end of the pipeline: the other servers are still removed.
        var passThru = PassThru.IsPresent;
        var owner = SessionServers.Owner();
        foreach (var id in All.IsPresent ? EphemeralDatabaseOperation.RunningIds(owner) : Id)
            Run((sink, _) => EphemeralDatabaseOperation.RemoveAsync(id, owner, passThru, sink), terminating: false);
    }
}

/// <summary>-Id: the throwaway servers running in this session.</summary>
public sealed class EphemeralIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(EphemeralDatabaseOperation.RunningIds(SessionServers.Owner()), wordToComplete);
}
