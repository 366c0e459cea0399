using SchemaOps.Engine.Impact;

namespace SchemaOps.Cli.Commands;

public sealed class ImpactCommand : ICommand
{
    public string Name => "impact";
    public string Summary => "for each statement of each pending migration: the lock it takes, the tables' size, rewrite or scan, who blocks it now, lint (read-only)";
    public string Usage => "schemaops impact [--url URL | --environment NAME] --path DIR [--json]";
    public IReadOnlyList<OptionSpec> Options { get; } = [.. MigrationOptions.Common];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        var impacts = await ImpactOperation.PreviewAsync(request, sink, ct);
        if (!args.Has("--json") && impacts.Count == 0) context.Stdout.WriteLine("nothing pending");
        sink.Finish();
        return ExitCodes.Success; // it reports; what to do about it is the reader's call
    }
}
