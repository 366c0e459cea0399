using System.Text.Json;
using SchemaOps.Cli.Commands;

namespace SchemaOps.Cli;

public static class Program
{
    private static readonly ICommand[] Commands = [new MigrateCommand(), new InfoCommand(), new ValidateCommand(), new BaselineCommand(), new RepairCommand(), new UndoCommand(), new NewCommand(), new CleanCommand(), new ChecksumCommand(), new SnapshotCommand(), new CompareCommand(), new LocksCommand(), new BackupCommand(), new TestBackupCommand(), new HealthCommand(), new ActivityCommand(), new ReportCommand(), new RestoreCommand(), new LintCommand(), new RehearseCommand(), new EphemeralCommand()];

    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C: cancel cleanly (the running migration rolls back). A second one ends the process.
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("canceling: stopping the work in progress and removing what was started for it (Ctrl+C again to quit at once)");
            cts.Cancel();
        };
        // Buffered stdout (the sink flushes as results arrive); stderr stays unbuffered for errors and warnings.
        await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
        return await RunAsync(args, new CliContext(stdout, Console.Error, SchemaOps.Engine.Configuration.EnvironmentVariables.FromProcess()), cts.Token);
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken ct)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            context.Stdout.WriteLine(GeneralHelp());
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }
        if (args[0] is "--version" or "version")
        {
            context.Stdout.WriteLine(typeof(Program).Assembly.GetName().Version?.ToString(3));
            return ExitCodes.Success;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        var ours = args.TakeWhile(a => a != "--").ToList(); // after "--" come another command's arguments
        var json = ours.Contains("--json");
        try
        {
            if (command is null) throw new UsageException($"unknown command '{args[0]}'");
            if (ours.Skip(1).Any(a => a is "--help" or "-h"))
            {
                context.Stdout.WriteLine(CommandHelp(command));
                return ExitCodes.Success;
            }
            var parsed = ParsedArguments.Parse(args.Skip(1), command.Options);
            try
            {
                return await command.RunAsync(parsed, context, ct);
            }
            finally
            {
                foreach (var d in context.Cleanup) await d.DisposeAsync();
            }
        }
        catch (UsageException e)
        {
            return Fail(context, json, ExitCodes.Usage, "Usage", "InvalidArgument", $"{e.Message}\n\n{(command is null ? GeneralHelp() : "usage: " + command.Usage)}");
        }
        catch (SchemaOpsException e)
        {
            return Fail(context, json, ExitCodes.For(e), e.ErrorId, e.Category.ToString(), e.Message, e.File, e.Line, e.Version);
        }
        catch (OperationCanceledException)
        {
            return Fail(context, json, ExitCodes.Canceled, "OperationCanceled", "OperationStopped", "canceled; what was in progress was rolled back");
        }
    }

    private static int Fail(CliContext context, bool json, int code, string id, string category, string message, string? file = null, int? line = null, string? version = null)
    {
        context.Stdout.Flush(); // what was printed before the error comes before it
        context.Stderr.WriteLine(json
            ? JsonSerializer.Serialize(new ErrorEnvelope(new CliError(id, category, message, file, line, version, code)), CliJson.Default.ErrorEnvelope)
            : $"error [{id}]: {message}");
        return code;
    }

    private static string GeneralHelp() =>
        "schemaops: PostgreSQL schema migrations, Flyway-compatible\n\nusage: schemaops <command> [options]   (schemaops <command> --help for its options)\n\ncommands:\n" +
        string.Join("\n", Commands.Select(c => $"  {c.Name,-10} {c.Summary}")) +
        "\n\nexit codes: 0 success, 1 problems found, 2 usage or bad input, 3 failed, 4 cannot connect, 5 busy (lock), 130 canceled";

    private static string CommandHelp(ICommand c) =>
        $"{c.Summary}\n\nusage: {c.Usage}\n\noptions:\n" +
        string.Join("\n", c.Options.Select(o => $"  {(o.TakesValue ? $"{o.Name} {o.ValueName ?? "VALUE"}" : o.Name),-28} {o.Help}"));
}
