using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class UndoCommand : ICommand
{
    public string Name => "undo";
    public string Summary => "undo applied migrations with their undo scripts (U files, down sections, .down.sql), newest first";
    public string Usage => "schemaops undo --url URL --path DIR (--count N | --target VERSION | --all) [--what-if] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common, MigrationOptions.LockWait, .. MigrationOptions.LockSafety, MigrationOptions.ConfirmProduction,
        new("--count", "undo the last N applied migrations (default 1)", ValueName: "N"),
        new("--target", "undo every applied migration above this version", ValueName: "VERSION"),
        new("--all", "undo every applied migration", TakesValue: false),
        new("--what-if", "list the exact undo plan and change nothing", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var count = args.Count("--count"); // at least 1: the engine's rule, as for -Count
        var scope = count is null && !args.Has("--target") && !args.Has("--all")
            ? UndoScope.Last(1)
            : new UndoScope(count, args.Value("--target"), args.Has("--all"));
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        try
        {
            var undone = await UndoOperation.UndoAsync(request, scope, sink, ct);
            if (!args.Has("--json") && !args.Has("--what-if"))
                context.Stdout.WriteLine(undone.Count == 0 ? "nothing to undo" : $"{undone.Count} migration(s) undone in {request.Target.Display}");
            return ExitCodes.Success;
        }
        finally
        {
            sink.Finish();
        }
    }
}
