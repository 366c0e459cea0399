using SchemaOps.Engine.Backups;

namespace SchemaOps.Cli.Commands;

public sealed class RestoreCommand : ICommand
{
    public string Name => "restore";
    public string Summary => "restore a backup with pg_restore, in one transaction (refuses a non-empty database unless --clean)";
    public string Usage => "schemaops restore FILE [--url URL | --environment NAME] [--create | --clean] [--confirm-production] [--what-if] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common, MigrationOptions.ConfirmProduction,
        new("--create", "create the target database first (it must not exist)", TakesValue: false),
        new("--clean", "replace the database's contents with the backup's (the database is not empty): objects created since the backup go too", TakesValue: false),
        new("--pg-bin", "the folder holding pg_restore (default: found like the server binaries)", ValueName: "DIR"),
        new("--what-if", "say what would be done and do nothing", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count != 1) throw new UsageException("restore needs one backup FILE (or directory)");
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        await RestoreOperation.RestoreAsync(request, args.Positionals[0],
            new RestoreOptions { CreateDatabase = args.Has("--create"), Clean = args.Has("--clean"), PgBinDirectory = args.Value("--pg-bin") }, sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}
