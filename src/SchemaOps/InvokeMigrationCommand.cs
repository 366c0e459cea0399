using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Applies pending migrations, each atomically with its history row. -WhatIf lists exactly what would run.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = MigrateSet, HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationResult), ParameterSetName = [MigrateSet, DryRunSet])]
[OutputType(typeof(FleetResult), ParameterSetName = [MigrateSet])]
public sealed class InvokeMigrationCommand : ScriptRunningCmdlet
{
    private const string MigrateSet = "Migrate";
    private const string DryRunSet = "DryRun";

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationVersionCompleter))]
    public string? Target { get; set; }

    [Parameter]
    public SwitchParameter OutOfOrder { get; set; }

    [Parameter]
    public SwitchParameter Group { get; set; }

    /// <summary>Create the database first when the server does not have it, as dbmate up does.</summary>
    [Parameter(ParameterSetName = MigrateSet)]
    public SwitchParameter CreateDatabase { get; set; }

    [Parameter]
    public SwitchParameter BaselineOnMigrate { get; set; }

    /// <summary>Default: the config's baselineVersion, else 1.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaselineVersion { get; set; }

    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IgnorePatternCompleter))]
    public string[]? IgnoreMigrationPattern { get; set; }

    /// <summary>How long to wait for another runner's migration lock; default: the engine's (5 minutes).</summary>
    [Parameter]
    [Duration]
    public TimeSpan? LockWaitTimeout { get; set; }

    internal override TimeSpan? LockWait => LockWaitTimeout;

    /// <summary>Refuse to start when a pending migration has a lint finding at this severity or above.</summary>
    [Parameter]
    public LintSeverity? LintLevel { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InstalledBy { get; set; }

    /// <summary>
    /// Fleet mode: collect every target from the pipeline (and every -Environment) and migrate them in
    /// parallel, at most this many at once, with one FleetResult per target. Several environments alone
    /// also make a fleet, 4 at a time.
    /// </summary>
    [Parameter(ParameterSetName = MigrateSet)]
    [ValidateRange(1, 256)]
    public int? ThrottleLimit { get; set; }

    // Fleet targets gathered in ProcessRecord; object-typed so no engine type appears in this class's fields.
    private readonly List<object> _fleet = [];

    /// <summary>Write the SQL that would run to -OutFile instead of running it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DryRunSet)]
    public SwitchParameter DryRun { get; set; }

    /// <summary>The dry run's SQL file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DryRunSet)]
    [ValidateNotNullOrEmpty]
    public string OutFile { get; set; } = "";

    protected override void ProcessInput()
    {
        var requests = RequestBuilder.BuildAll(this, v => v with
        {
            OutOfOrder = MyInvocation.BoundParameters.ContainsKey(nameof(OutOfOrder)) ? OutOfOrder.IsPresent : null, // -OutOfOrder:$false is dbmate's --strict
            Group = Group.IsPresent ? true : null,
            BaselineOnMigrate = BaselineOnMigrate.IsPresent ? true : null,
            BaselineVersion = BaselineVersion,
            ValidateOnMigrate = SkipValidation.IsPresent ? false : null,
            InstalledBy = InstalledBy,
            LintLevel = LintLevel,
            Target = Target,
            IgnoreMigrationPatterns = IgnoreMigrationPattern,
        }, s => s with { CreateDatabase = CreateDatabase.IsPresent });
        if (Guard(() => FleetOperation.IsFleet(requests.Count, targetsList: false, ThrottleLimit is not null, DryRun.IsPresent)))
        {
            _fleet.AddRange(requests);
            return;
        }
        var request = requests[0];
        if (DryRun.IsPresent)
        {
            var path = ResolvePath(OutFile);
            Run((sink, ct) => MigrateOperation.DryRunAsync(request, path, sink, ct));
        }
        else
        {
            Run((sink, ct) => MigrateOperation.MigrateAsync(request, sink, ct));
        }
    }

    protected override void EndProcessing()
    {
        if (_fleet.Count == 0) return;
        var requests = _fleet.Cast<MigrationRequest>().ToList();
        var throttle = ThrottleLimit ?? FleetOperation.DefaultThrottleLimit;
        Run((sink, ct) => FleetOperation.MigrateAllAsync(requests, throttle, sink, ct));
    }
}
