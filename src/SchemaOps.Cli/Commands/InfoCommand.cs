using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class InfoCommand : ICommand
{
    public string Name => "info";
    public string Summary => "show every migration and its state";
    public string Usage => "schemaops info --url URL --path DIR [--json]";
    public IReadOnlyList<OptionSpec> Options { get; } = [.. MigrationOptions.Common, MigrationOptions.Target, .. MigrationOptions.OutOfOrder];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        sink.Header = HumanFormat.InfoHeader;
        await InfoOperation.InfoAsync(request, sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}
