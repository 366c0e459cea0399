using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Cli.Commands;

public sealed class NewCommand : ICommand
{
    public string Name => "new";
    public string Summary => "create the next migration file and its undo companion, in the folder's layout";
    public string Usage => "schemaops new DESCRIPTION [--path DIR] [--layout LAYOUT] [--no-undo] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("--path", "the migration folder (default: ./db/migration, or dbmate's ./db/migrations when only that exists)", ValueName: "DIR"),
        MigrationOptions.Layout,
        new("--no-undo", "create no undo file (U file, or golang-migrate's .down.sql)", TakesValue: false),
        new("--json", "print the created files as a JSON array", TakesValue: false),
    ];

    public Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count == 0) throw new UsageException("new needs a DESCRIPTION (quote it if it has spaces)");
        var layout = args.Value("--layout") is { } l ? MigrationLayouts.ParseCliName(l) : MigrationLayout.Auto;
        var sink = context.Sink(args);
        NewMigrationOperation.Create(args.Value("--path") ?? MigrationSettings.DefaultLocationIn(Environment.CurrentDirectory), string.Join(' ', args.Positionals), withUndo: !args.Has("--no-undo"), sink, layout);
        sink.Finish();
        return Task.FromResult(ExitCodes.Success);
    }
}
