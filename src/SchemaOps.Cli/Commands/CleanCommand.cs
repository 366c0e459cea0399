using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class CleanCommand : ICommand
{
    public string Name => "clean";
    public string Summary => "drop every object in the managed schemas (disabled unless --allow-clean)";
    public string Usage => "schemaops clean --url URL --allow-clean [--schema NAME] [--environment NAME] [--what-if] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common, MigrationOptions.LockWait,
        new("--allow-clean", "allow clean (also cleanEnabled in the config, or SCHEMAOPS_CLEAN_ENABLED=true); it is disabled otherwise, and always in production", TakesValue: false),
        new("--what-if", "say what would be dropped and drop nothing", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        await CleanOperation.CleanAsync(request, sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}
