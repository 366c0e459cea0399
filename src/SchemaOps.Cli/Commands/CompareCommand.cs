using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Cli.Commands;

public sealed class CompareCommand : ICommand
{
    public string Name => "compare";
    public string Summary => "list the differences between two saved snapshots; exit 1 when there are any";
    public string Usage => "schemaops compare REFERENCE.json DIFFERENCE.json [--json]";
    public IReadOnlyList<OptionSpec> Options { get; } = [new("--json", "print the differences as a JSON array", TakesValue: false)];

    public Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count != 2) throw new UsageException("compare needs two snapshot files: REFERENCE (earlier) and DIFFERENCE (later)");
        var differences = SnapshotComparer.Compare(SnapshotFile.Load(args.Positionals[0]), SnapshotFile.Load(args.Positionals[1]));
        var sink = context.Sink(args);
        foreach (var d in differences) sink.WriteObject(d);
        if (!args.Has("--json") && differences.Count == 0) context.Stdout.WriteLine("no differences");
        sink.Finish();
        return Task.FromResult(differences.Count == 0 ? ExitCodes.Success : ExitCodes.ProblemsFound);
    }
}
