using SchemaOps.Engine.Diagnostics;

namespace SchemaOps.Cli.Commands;

public sealed class LocksCommand : ICommand
{
    public string Name => "locks";
    public string Summary => "who holds and who waits for which lock, as a blocking tree (--watch polls)";
    public string Usage => "schemaops locks [--url URL | --environment NAME] [--relation TABLE] [--min-wait 5s] [--full-query] [--watch [--interval 1s] [--count N]] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--relation", "only locks on this table (table or schema.table)", ValueName: "TABLE"),
        new("--min-wait", "only blocking trees in which someone has waited at least this long", ValueName: "DURATION"),
        new("--full-query", "print whole query texts (default: the first 120 characters)", TakesValue: false),
        new("--watch", "report again every --interval until Ctrl+C (or --count reports)", TakesValue: false),
        new("--interval", "time between reports with --watch (default 1s)", ValueName: "DURATION"),
        new("--count", "stop after N reports", ValueName: "N"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var count = args.Count("--count", minimum: 1);
        var options = new LockReportOptions
        {
            Relation = args.Value("--relation"),
            MinimumWait = args.Duration("--min-wait") ?? TimeSpan.Zero,
            QueryLength = args.Has("--full-query") ? null : new LockReportOptions().QueryLength,
            Interval = args.Has("--watch") || count is not null ? args.Duration("--interval") ?? TimeSpan.FromSeconds(1) : null,
            Count = count,
        };
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        try
        {
            var report = await LockReportOperation.ReportAsync(request.Target, options, sink, ct);
            if (!args.Has("--json") && options.Interval is null && report.Count == 0) context.Stdout.WriteLine($"no session waits for a lock in {request.Target.Display}");
        }
        catch (OperationCanceledException) when (options.Interval is not null)
        {
            // Ctrl+C ends a watch: that is how it is meant to stop.
        }
        finally
        {
            sink.Finish();
        }
        return ExitCodes.Success;
    }
}
