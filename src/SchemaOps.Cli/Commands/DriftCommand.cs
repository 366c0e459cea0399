using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Cli.Commands;

public sealed class DriftCommand : ICommand
{
    public string Name => "drift";
    public string Summary => "is the database still what its applied migrations built? replay them on a throwaway server and compare; exit 1 on differences";
    public string Usage => "schemaops drift [--url URL | --environment NAME] --path DIR [--ignore-object PATTERN]... [--pg-bin DIR] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--ignore-object", "leave out objects a team manages by hand: a wildcard on schema.name or Kind:schema.name (repeatable; default: the config's driftIgnore)",
            Repeatable: true, ValueName: "PATTERN"),
        new("--pg-bin", "the folder holding the throwaway server's binaries (best: the live server's major version)", ValueName: "DIR"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        var ignore = args.Values("--ignore-object") is { Count: > 0 } patterns ? patterns : null;
        var differences = await DriftOperation.CheckAsync(request, new DriftOptions(ignore, args.Value("--pg-bin")), sink, ct);
        if (!args.Has("--json") && differences.Count == 0) context.Stdout.WriteLine("no drift: the database is what its applied migrations built");
        sink.Finish();
        return differences.Count == 0 ? ExitCodes.Success : ExitCodes.ProblemsFound;
    }
}
