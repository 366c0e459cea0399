using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class RepairCommand : ICommand
{
    public string Name => "repair";
    public string Summary => "fix the history table: drop failed rows, mark missing, realign checksums";
    public string Usage => "schemaops repair --url URL --path DIR [--what-if] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common, MigrationOptions.Ignore, MigrationOptions.LockWait, MigrationOptions.ConfirmProduction,
        new("--what-if", "list each change and make none", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        var changes = await RepairOperation.RepairAsync(request, sink, ct);
        sink.Finish();
        if (!args.Has("--json") && !args.Has("--what-if"))
            context.Stdout.WriteLine(changes.Count == 0 ? "nothing to repair" : $"{changes.Count} change(s) made to the history table");
        return ExitCodes.Success;
    }
}
