using System.ComponentModel;
using System.Diagnostics;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Cli.Commands;

/// <summary>
/// `schemaops ephemeral`: New-EphemeralDatabase for bash. A process cannot hand a server it owns to its
/// caller and exit, so the server lives as long as this command: until Ctrl+C, or for the length of the
/// command given after `--`, which runs with libpq's variables (and DATABASE_URL) pointing at it.
/// </summary>
public sealed class EphemeralCommand : ICommand
{
    // A child that ignores Ctrl+C gets this long to finish before it is killed with the server.
    private static readonly TimeSpan ChildGrace = TimeSpan.FromSeconds(10);

    public string Name => "ephemeral";
    public string Summary => "a throwaway PostgreSQL until Ctrl+C, or for the length of a command (-- COMMAND ...)";
    public string Usage => "schemaops ephemeral [--database NAME] [--pg-bin DIR] [--json] [--verbose] [-- COMMAND [ARGS...]]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("--database", "an empty database to create and point at (default: postgres)", ValueName: "NAME"),
        new("--pg-bin", "PostgreSQL's bin folder (default: PATH, pg_config, the usual places)", ValueName: "DIR"),
        new("--json", "print the server's description as JSON (on stderr when a command runs)", TakesValue: false),
        new("--verbose", "say what is being done, on stderr", TakesValue: false),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count > args.Rest.Count) throw new UsageException("a command to run goes after --, e.g. schemaops ephemeral -- ./integration-tests.sh");
        // With a command, stdout is the command's: ours (the description, --json too) goes to stderr.
        var runsCommand = args.Rest.Count > 0;
        var sink = context.Sink(args, output: runsCommand ? context.Stderr : null);
        var database = await EphemeralDatabaseOperation.StartAsync(args.Value("--database") ?? EphemeralDatabaseOperation.DefaultDatabase,
            args.Value("--pg-bin") is { } bin ? Path.GetFullPath(bin) : null, Owner, sink, ct);
        context.Cleanup.Add(new Removal(database!.Id, sink));
        if (!runsCommand)
        {
            sink.Finish();
            if (!args.Has("--json")) context.Stdout.WriteLine($"connect: PGPASSFILE={database.Passfile} psql -h {database.Host} -p {database.Port} -U {database.User} {database.Database}\nCtrl+C stops the server and deletes its data");
            context.Stdout.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C is how this mode is meant to end.
            }
            return ExitCodes.Success;
        }
        sink.Finish();
        return await RunChildAsync(args.Rest, database, ct);
    }

    private static async Task<int> RunChildAsync(IReadOnlyList<string> command, EphemeralDatabase database, CancellationToken ct)
    {
        // The caller's PGSSLMODE, PGSERVICE, PGOPTIONS, FLYWAY_URL... would send the child elsewhere, or fail to reach ours.
        var psi = SchemaOps.Engine.Connections.LibpqEnvironment.StartInfo(command[0], command.Skip(1));
        foreach (var (name, value) in Variables(database)) psi.Environment[name] = value;
        Process child;
        try
        {
            child = Process.Start(psi)!;
        }
        catch (Win32Exception e)
        {
            throw new UsageException($"cannot run '{command[0]}': {e.Message}");
        }
        using (child)
        {
            try
            {
                await child.WaitForExitAsync(ct);
                return child.ExitCode;
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C reached the child too (same terminal): let it finish its own cleanup first.
                using var grace = new CancellationTokenSource(ChildGrace);
                try { await child.WaitForExitAsync(grace.Token); }
                catch (OperationCanceledException) { child.Kill(entireProcessTree: true); }
                throw;
            }
        }
    }

    /// <summary>What libpq-based tools (psql, pg_dump, dbmate, ...) and SchemaOps itself read: never the password, only where it is kept.</summary>
    private static IEnumerable<(string Name, string Value)> Variables(EphemeralDatabase d) =>
    [
        ("PGHOST", d.Host), ("PGPORT", d.Port.ToString()), ("PGUSER", d.User), ("PGDATABASE", d.Database), ("PGPASSFILE", d.Passfile),
        ("DATABASE_URL", $"postgres://{d.User}@{d.Host}:{d.Port}/{Uri.EscapeDataString(d.Database)}?sslmode=disable"),
    ];

    /// <summary>The CLI process is one session: it owns the servers it starts.</summary>
    private static readonly Guid Owner = Guid.NewGuid();

    /// <summary>Removes the server when the command ends, whichever way it ends.</summary>
    private sealed class Removal(string id, IOperationSink sink) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await EphemeralDatabaseOperation.RemoveAsync(id, Owner, passThru: false, sink);
    }
}
