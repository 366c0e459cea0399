using SchemaOps.Engine.Backups;

namespace SchemaOps.Cli.Commands;

public sealed class BackupCommand : ICommand
{
    public string Name => "backup";
    public string Summary => "back up with pg_dump (owner-only file, checked with pg_restore --list, SHA-256, schema snapshot beside it)";
    public string Usage => "schemaops backup [--url URL | --environment NAME] --out FILE [--format custom|directory] [--jobs N] [--lock-wait-timeout 1m] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--out", "the archive to create (never overwritten); FILE.snapshot.json is written beside it", ValueName: "FILE"),
        new("--format", "custom (one file; default) or directory (one file per table, with --jobs)", ValueName: "FORMAT"),
        new("--jobs", "parallel pg_dump jobs (directory format)", ValueName: "N"),
        new("--row-counts", "for the snapshot: exact (default), estimated or none", ValueName: "MODE"),
        new("--pg-bin", "the folder holding pg_dump and pg_restore (default: found like the server binaries)", ValueName: "DIR"),
        new("--lock-wait-timeout", "how long to wait for a table's lock before failing, nothing kept (default 1m; 0 waits for ever): an ALTER TABLE waiting for its lock makes reads queue", ValueName: "DURATION"),
        new("--what-if", "say what would be done and do nothing", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var defaults = new BackupOptions("");
        var options = new BackupOptions(args.Value("--out") ?? throw new UsageException("backup needs --out FILE"))
        {
            LockWaitTimeout = args.Duration("--lock-wait-timeout") ?? defaults.LockWaitTimeout,
            Format = args.Choice<BackupFormat>("--format") ?? BackupFormat.Custom,
            Jobs = args.Count("--jobs", minimum: 1) ?? 1,
            RowCounts = args.Choice<RowCountMode>("--row-counts") ?? RowCountMode.Exact,
            PgBinDirectory = args.Value("--pg-bin"),
        };
        var request = await MigrationOptions.BuildAsync(args, context, ct);
        var sink = context.Sink(args, whatIf: args.Has("--what-if"));
        await BackupOperation.BackupAsync(request, options, sink, ct);
        sink.Finish();
        return ExitCodes.Success;
    }
}

public sealed class TestBackupCommand : ICommand
{
    public string Name => "test-backup";
    public string Summary => "restore a backup into a throwaway database, compare with its snapshot, drop it; exit 1 on differences";
    public string Usage => "schemaops test-backup FILE [--url URL | --environment NAME] [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        new("--pg-bin", "the folder holding pg_restore (default: found like the server binaries)", ValueName: "DIR"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count != 1) throw new UsageException("test-backup needs one backup FILE (or directory)");
        var sink = context.Sink(args);
        BackupTestResult result;
        if (args.Has("--ephemeral"))
        {
            // As Test-DatabaseBackup -Ephemeral: a server sized for the backup, from --pg-bin's binaries.
            var (settings, _) = MigrationOptions.ForThrowaway(args, context, pathsAreLocations: false);
            result = await BackupTestOperation.TestOnEphemeralAsync(settings, args.Positionals[0], null, args.Value("--pg-bin"), sink, ct);
        }
        else result = await BackupTestOperation.TestAsync(await MigrationOptions.BuildAsync(args, context, ct), args.Positionals[0], null, args.Value("--pg-bin"), sink, ct);
        sink.Finish();
        return result.Passed ? ExitCodes.Success : ExitCodes.ProblemsFound;
    }
}
