using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class MigrateCommand : ICommand
{
    public string Name => "migrate";
    public string Summary => "apply pending migrations";
    public string Usage => "schemaops migrate [--url URL... | --environment NAME... | --targets FILE] [--throttle-limit N] [--path DIR] [--target VERSION] [--create] [--what-if | --dry-run FILE] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common, MigrationOptions.Target, .. MigrationOptions.OutOfOrder, MigrationOptions.Ignore,
        MigrationOptions.LockWait, .. MigrationOptions.LockSafety, MigrationOptions.InstalledBy,
        new("--baseline-on-migrate", "baseline a non-empty schema that has no history table, then migrate", TakesValue: false),
        new("--baseline-version", "version for --baseline-on-migrate (default 1)", ValueName: "VERSION"),
        new("--create", "create the database first when the server does not have it, as dbmate up does", TakesValue: false),
        new("--group", "apply all pending migrations in one transaction: all or none", TakesValue: false),
        new("--lint-level", "refuse to start (exit 1) when a pending migration has a lint finding at this severity or above: error, warning or info (rules as ./schemaops-lint.json sets them)", ValueName: "LEVEL"),
        new("--no-validate", "skip validation before migrating (failed migrations still block)", TakesValue: false),
        new("--what-if", "list what would be done and change nothing", TakesValue: false),
        new("--targets", "fleet mode: migrate every database listed in FILE (one URL or connection string per line, # comments) in parallel, as with several --url or --environment; exit 3 if any failed", ValueName: "FILE"),
        new("--throttle-limit", "fleet mode: at most N databases at once (default 4)", ValueName: "N"),
        new("--dry-run", "write the exact SQL that would run (transactions, history changes) to FILE, runnable with psql -f, and change nothing", ValueName: "FILE"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Has("--what-if") && args.Has("--dry-run")) throw new UsageException("--what-if and --dry-run exclude each other");
        var requests = await MigrationOptions.BuildAllAsync(args, context, ct);
        if (args.Has("--create")) requests = requests.Select(r => r with { Settings = r.Settings with { CreateDatabase = true } }).ToList();
        if (FleetOperation.IsFleet(requests.Count, args.Has("--targets"), args.Has("--throttle-limit"), args.Has("--dry-run")))
            return await RunFleetAsync(args, context, requests, ct);
        var request = requests[0];
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            if (args.Value("--dry-run") is { } plan)
            {
                var planned = await MigrateOperation.DryRunAsync(request, plan, sink, ct);
                if (!args.Has("--json")) context.Stdout.WriteLine($"wrote the SQL of {planned.Count} migration(s) to {plan}; nothing was changed in {request.Target.Display}");
                return ExitCodes.Success;
            }
            var results = await MigrateOperation.MigrateAsync(request, sink, ct);
            if (!args.Has("--json") && !args.Has("--what-if"))
                context.Stdout.WriteLine(results.Count == 0
                    ? $"{request.Target.Display} is up to date"
                    : $"{results.Count} migration{(results.Count == 1 ? "" : "s")} applied to {request.Target.Display} in {started.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        }
        finally
        {
            sink.Finish();
        }
    }

    private static async Task<int> RunFleetAsync(ParsedArguments args, CliContext context, List<MigrationRequest> requests, CancellationToken ct)
    {
        var throttle = args.Count("--throttle-limit", minimum: 1) ?? FleetOperation.DefaultThrottleLimit;
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        try
        {
            var results = await FleetOperation.MigrateAllAsync(requests, throttle, sink, ct);
            return results.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.Failed;
        }
        finally
        {
            sink.Finish();
        }
    }
}
