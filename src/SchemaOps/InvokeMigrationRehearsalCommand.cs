using System.Management.Automation;
using SchemaOps.Engine.Rehearsal;

namespace SchemaOps.Commands;

/// <summary>
/// Rehearses a release on a throwaway PostgreSQL (or -ConnectionString / -Environment staging, or a restored
/// -FromBackup): lint, apply with timings, validate, undo and compare, re-apply and compare. One RehearsalResult.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MigrationRehearsal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Module)]
[OutputType(typeof(RehearsalResult))]
public sealed class InvokeMigrationRehearsalCommand : MigrationCmdlet
{
    /// <summary>Restore this backup first, for production-like data.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FromBackup { get; set; }

    /// <summary>A migration taking longer fails the slow-migrations check; default: the config's slowThreshold, else 30 s.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? SlowThreshold { get; set; }

    /// <summary>Lint findings at this severity or above fail the lint check; default: the config's lintLevel, else warning.</summary>
    [Parameter]
    public LintSeverity? LintLevel { get; set; }

    /// <summary>Report files to write: .md, .json, .xml (JUnit), .html.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? OutFile { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    /// <summary>Rehearse on a production environment's database without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessInput()
    {
        var (settings, target) = RequestBuilder.ForThrowaway(this);
        if (!ShouldProcess(target?.Display ?? "a throwaway PostgreSQL", "Rehearse the migrations: apply, undo, re-apply")) return;
        if (target is not null) settings = RequestBuilder.ConfirmProduction(this, Force.IsPresent, settings, "Rehearse (apply, undo, re-apply)");
        var request = new RehearsalRequest
        {
            Settings = settings,
            Target = target, FromBackup = FromBackup is null ? null : ResolvePath(FromBackup), SlowThreshold = SlowThreshold, LintLevel = LintLevel,
            Reports = (OutFile ?? []).Select(ResolvePath).ToList(), PgBinDirectory = PgBinPath is null ? null : ResolvePath(PgBinPath),
        };
        Run(async (sink, ct) => sink.WriteObject(await RehearsalOperation.RunAsync(request, sink, ct)));
    }
}
