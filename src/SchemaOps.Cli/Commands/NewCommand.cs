using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class NewCommand : ICommand
{
    public string Name => "new";
    public string Summary => "create the next migration file and its undo companion";
    public string Usage => "schemaops new DESCRIPTION [--path DIR] [--no-undo] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("--path", "the migration folder (default: ./db/migration)", ValueName: "DIR"),
        new("--no-undo", "create no U (undo) file", TakesValue: false),
        new("--json", "print the created files as a JSON array", TakesValue: false),
    ];

    public Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count == 0) throw new UsageException("new needs a DESCRIPTION (quote it if it has spaces)");
        var sink = context.Sink(args);
        NewMigrationOperation.Create(args.Value("--path") ?? "db/migration", string.Join(' ', args.Positionals), withUndo: !args.Has("--no-undo"), sink);
        sink.Finish();
        return Task.FromResult(ExitCodes.Success);
    }
}
