using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class ValidateCommand : ICommand
{
    public string Name => "validate";
    public string Summary => "check applied migrations against the files (exit 1 on problems)";
    public string Usage => "schemaops validate --url URL --path DIR [--ignore PATTERN] [--json]";
    public IReadOnlyList<OptionSpec> Options { get; } = [.. MigrationOptions.Common, MigrationOptions.Target, .. MigrationOptions.OutOfOrder, MigrationOptions.Ignore];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        var results = await InfoOperation.ValidateAsync(request, sink, ct);
        sink.Finish();
        var problems = results.Count(r => !r.Passed);
        if (!args.Has("--json"))
            context.Stdout.WriteLine(problems == 0 ? $"{results.Count} migration(s) valid" : $"{problems} problem(s) found");
        return problems == 0 ? ExitCodes.Success : ExitCodes.ProblemsFound;
    }
}
