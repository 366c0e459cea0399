using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Cli.Commands;

public sealed class SnapshotCommand : ICommand
{
    public string Name => "snapshot";
    public string Summary => "record every object, row counts and the migrations in effect (read-only)";
    public string Usage => "schemaops snapshot [--url URL | --environment NAME] [--out FILE] [--row-counts exact|estimated|none] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--out", "also save the snapshot as JSON to FILE (for `schemaops compare`)", ValueName: "FILE"),
        new("--row-counts", "exact (count(*) on every table; default), estimated (the planner's estimate, instant) or none", ValueName: "MODE"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var mode = args.Choice<RowCountMode>("--row-counts") ?? RowCountMode.Exact;
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args);
        var snapshot = await SnapshotOperation.TakeAsync(request, mode, sink, ct);
        if (args.Value("--out") is { } file)
        {
            SnapshotFile.Save(snapshot, file);
            if (!args.Has("--json")) context.Stdout.WriteLine($"saved to {Path.GetFullPath(file)}");
        }
        sink.Finish();
        return ExitCodes.Success;
    }
}
