using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class BaselineCommand : ICommand
{
    public string Name => "baseline";
    public string Summary => "mark an existing database as being at a version";
    public string Usage => "schemaops baseline --url URL [--baseline-version VERSION] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common, MigrationOptions.LockWait, MigrationOptions.InstalledBy,
        new("--baseline-version", "version to baseline at (default 1)", ValueName: "VERSION"),
        new("--baseline-description", "description of the baseline row (default << Flyway Baseline >>)", ValueName: "TEXT"),
        new("--what-if", "say what would be done and change nothing", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        await BaselineOperation.BaselineAsync(request, sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}
