using SchemaOps.Engine.Diagnostics;

namespace SchemaOps.Cli.Commands;

public sealed class HealthCommand : ICommand
{
    public string Name => "health";
    public string Summary => "connectivity, connections, long transactions, prepared transactions left behind, invalid indexes, failed migrations, synchronous replication, replication lag; exit 1 if a check fails";
    public string Usage => "schemaops health [--url URL | --environment NAME] [--max-connection-use 80] [--long-transaction 5m] [--max-lag 30s] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--max-connection-use", "connections in use, percent of max_connections, above which the check fails (default 80)", ValueName: "PERCENT"),
        new("--long-transaction", "a transaction open (or prepared) longer than this fails the check (default 5m)", ValueName: "DURATION"),
        new("--max-lag", "replication lag above which the check fails (default 30s)", ValueName: "DURATION"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var defaults = new HealthOptions();
        var options = new HealthOptions
        {
            MaxConnectionUsePercent = args.Value("--max-connection-use") is { } p
                ? double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent is > 0 and <= 100 ? percent : throw new UsageException($"--max-connection-use '{p}' is not a percentage")
                : defaults.MaxConnectionUsePercent,
            LongTransaction = args.Duration("--long-transaction") ?? defaults.LongTransaction,
            MaxReplicationLag = args.Duration("--max-lag") ?? defaults.MaxReplicationLag,
        };
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        var checks = await HealthOperation.CheckAsync(request, options, sink, ct);
        sink.Finish();
        return checks.All(c => c.Passed) ? ExitCodes.Success : ExitCodes.ProblemsFound;
    }
}

public sealed class ActivityCommand : ICommand
{
    public string Name => "activity";
    public string Summary => "client sessions (long-running and idle-in-transaction flagged), or --summary against max_connections";
    public string Usage => "schemaops activity [--url URL | --environment NAME] [--summary] [--long-running 1m] [--full-query] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--summary", "one summary line: connections against max_connections, sessions by state", TakesValue: false),
        new("--long-running", "an active query running longer than this is flagged (default 1m)", ValueName: "DURATION"),
        new("--full-query", "print whole query texts (default: the first 120 characters)", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var threshold = args.Duration("--long-running") ?? ActivityOperation.DefaultLongRunning;
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        if (args.Has("--summary")) await ActivityOperation.SummaryAsync(request.Target, threshold, sink, ct);
        else await ActivityOperation.SessionsAsync(request.Target, threshold, args.Has("--full-query") ? null : 120, sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}

public sealed class WaitCommand : ICommand
{
    public string Name => "wait";
    public string Summary => "wait until the database accepts connections (for CI and container start-up); exit 4 if the timeout passes first";
    public string Usage => "schemaops wait [--url URL | --environment NAME] [--timeout 60s] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--timeout", "how long to wait (default 60s)", ValueName: "DURATION"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var timeout = args.Duration("--timeout") ?? WaitOperation.DefaultTimeout;
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        await WaitOperation.WaitAsync(request.Target, timeout, sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}
