using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>Applies pending migrations, each atomically with its history row. -WhatIf lists exactly what would run.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "Migration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationResult), typeof(FleetResult))]
public sealed class InvokeMigrationCommand : ScriptRunningCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MigrationVersionCompleter))]
    public string? Target { get; set; }

    [Parameter]
    public SwitchParameter OutOfOrder { get; set; }

    [Parameter]
    public SwitchParameter Group { get; set; }

    [Parameter]
    public SwitchParameter BaselineOnMigrate { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string BaselineVersion { get; set; } = "1";

    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(IgnorePatternCompleter))]
    public string[]? IgnoreMigrationPattern { get; set; }

    [Parameter]
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InstalledBy { get; set; }

    /// <summary>
    /// Fleet mode: collect every target from the pipeline and migrate them in parallel, at most this many at
    /// once, with one FleetResult per target.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int? ThrottleLimit { get; set; }

    // Fleet targets gathered in ProcessRecord; object-typed so no engine type appears in this class's fields.
    private readonly List<object> _fleet = [];

    /// <summary>Write the SQL that would run to this file instead of running it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DryRunPath { get; set; }

    protected override void ProcessRecord()
    {
        var request = RequestBuilder.Build(this, s => s with
        {
            Target = Target,
            OutOfOrder = OutOfOrder.IsPresent,
            Group = Group.IsPresent,
            BaselineOnMigrate = BaselineOnMigrate.IsPresent,
            BaselineVersion = BaselineVersion,
            ValidateOnMigrate = !SkipValidation.IsPresent,
            IgnoreMigrationPatterns = IgnoreMigrationPattern ?? s.IgnoreMigrationPatterns,
            LockWaitTimeout = LockWaitTimeout,
            InstalledBy = InstalledBy,
        });
        if (ThrottleLimit is not null)
        {
            if (DryRunPath is not null)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-ThrottleLimit and -DryRunPath exclude each other"), "FleetDryRun", ErrorCategory.InvalidArgument, null));
            _fleet.Add(request);
        }
        else if (DryRunPath is not null)
        {
            var path = ResolvePath(DryRunPath);
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
        var throttle = ThrottleLimit!.Value;
        Run((sink, ct) => FleetOperation.MigrateAllAsync(requests, throttle, sink, ct));
    }
}
