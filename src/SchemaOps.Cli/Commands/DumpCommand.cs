using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Cli.Commands;

public sealed class DumpCommand : ICommand
{
    public string Name => "dump";
    public string Summary => "write the schema file (db/schema.sql) exactly as `dbmate dump` does: pg_dump --schema-only, then the applied versions";
    public string Usage => "schemaops dump [--url URL | --environment NAME] [--out FILE] [--pg-bin DIR] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--out", "the schema file, replaced whole (default: $DBMATE_SCHEMA_FILE, else ./db/schema.sql); left untouched when it already holds this schema", ValueName: "FILE"),
        new("--pg-bin", "the folder holding pg_dump (default: found like the server binaries)", ValueName: "DIR"),
        new("--what-if", "say what would be done and do nothing", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        await SchemaDumpOperation.DumpAsync(request, args.Value("--out") ?? request.Settings.SchemaFile, args.Value("--pg-bin"), sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}
