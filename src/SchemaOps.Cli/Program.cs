using System.Runtime.InteropServices;
using System.Text.Json;
using SchemaOps.Cli.Commands;

namespace SchemaOps.Cli;

public static class Program
{
    private static readonly ICommand[] Commands = [new MigrateCommand(), new InfoCommand(), new ValidateCommand(), new BaselineCommand(), new RepairCommand(), new UndoCommand(), new NewCommand(), new CleanCommand(), new ChecksumCommand(), new SnapshotCommand(), new DumpCommand(), new CompareCommand(), new DriftCommand(), new ImpactCommand(), new LocksCommand(), new BackupCommand(), new TestBackupCommand(), new HealthCommand(), new ActivityCommand(), new WaitCommand(), new ReportCommand(), new RestoreCommand(), new LintCommand(), new RehearseCommand(), new EphemeralCommand()];

    public static async Task<int> Main(string[] args)
    {
        CollectOnlyPastFirstBurst();
        // What a run killed without a chance to clean up left behind (passfiles, children, partial files, servers) goes first.
        SchemaOps.Engine.Leftovers.Sweep();
        using var cts = new CancellationTokenSource();
        var stoppedBy = 0;
        // Ctrl+C, and what systemd, Kubernetes and CI runners send (SIGTERM), a closed terminal (SIGHUP) and Ctrl+\ (SIGQUIT):
        // the first cancels cleanly (the migration in progress rolls back, children are stopped, what was started for the
        // run is removed); a second one ends the process at once.
        using var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                if (cts.IsCancellationRequested) return; // the second: the default action, which ends the process
                context.Cancel = true;
                stoppedBy = 128 + SignalNumber(context.Signal);
                Console.Error.WriteLine($"canceling ({context.Signal}): stopping the work in progress and removing what was started for it (again to quit at once)");
                cts.Cancel();
            })).ToList().AsDisposable();
        // Buffered stdout (the sink flushes as results arrive); stderr stays unbuffered for errors and warnings.
        await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
        var exit = await RunAsync(args, new CliContext(stdout, Console.Error, SchemaOps.Engine.Configuration.EnvironmentVariables.FromProcess()), cts.Token);
        // Stopped by a signal: the shell's convention, 128 + its number (130 for Ctrl+C, 143 for SIGTERM).
        return exit == ExitCodes.Canceled && stoppedBy > 0 ? stoppedBy : exit;
    }

    /// <summary>
    /// A command keeps most of what it allocates to its end (every script read, every history row), so a collection in
    /// the middle of it frees little and copies everything read so far: with .NET's small first budget, two of them
    /// took ~70 ms of a 250 ms info over 10,000 migrations. The first 64 MB are allocated without collecting; past
    /// that (a long apply, a big report), collections run as usual. Memory it may hold uncollected: those 64 MB.
    /// </summary>
    private static void CollectOnlyPastFirstBurst()
    {
        try
        {
            GC.TryStartNoGCRegion(64L << 20);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            // A runtime that cannot set that much aside: collections as usual.
        }
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => 2,
    };

    private static IDisposable AsDisposable(this List<PosixSignalRegistration> registrations) => new Registrations(registrations);

    private sealed class Registrations(List<PosixSignalRegistration> all) : IDisposable
    {
        public void Dispose() => all.ForEach(r => r.Dispose());
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
            return Fail(context, json, new SchemaOpsException(ErrorCatalog.Usage, $"{e.Message}\n\n{(command is null ? GeneralHelp() : "usage: " + command.Usage)}"));
        }
        catch (SchemaOpsException e)
        {
            return Fail(context, json, e);
        }
        catch (OperationCanceledException)
        {
            return Fail(context, json, new SchemaOpsException(ErrorCatalog.OperationCanceled, "canceled; what was in progress was rolled back"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A defect, never the input's fault: still one line and a documented exit code, not a stack trace.
            return Fail(context, json, new SchemaOpsException(ErrorCatalog.InternalError,
                $"{e.GetType().Name}: {e.Message} (a SchemaOps defect: nothing more was done; please report it with the command that caused it)"));
        }
    }

    private static int Fail(CliContext context, bool json, SchemaOpsException e)
    {
        var code = (int)e.Kind.Exit;
        context.Stdout.Flush(); // what was printed before the error comes before it
        context.Stderr.WriteLine(json
            ? JsonSerializer.Serialize(new ErrorEnvelope(new CliError(e.ErrorId, e.Category.ToString(), e.Message, e.File, e.Line, e.Version, code)), CliJson.Default.ErrorEnvelope)
            : $"error [{e.ErrorId}]: {e.Message}");
        return code;
    }

    private static string GeneralHelp() =>
        "schemaops: PostgreSQL schema migrations, Flyway-compatible\n\nusage: schemaops <command> [options]   (schemaops <command> --help for its options)\n\ncommands:\n" +
        string.Join("\n", Commands.Select(c => $"  {c.Name,-10} {c.Summary}")) +
        "\n\nexit codes: 0 success, 1 problems found, 2 usage or bad input, 3 failed, 4 cannot connect, 5 busy (lock), 130 canceled (143 SIGTERM, 129 SIGHUP, 131 SIGQUIT)";

    private static string CommandHelp(ICommand c) =>
        $"{c.Summary}\n\nusage: {c.Usage}\n\noptions:\n" +
        string.Join("\n", c.Options.Select(o => $"  {(o.TakesValue ? $"{o.Name} {o.ValueName ?? "VALUE"}" : o.Name),-28} {o.Help}"));
}
