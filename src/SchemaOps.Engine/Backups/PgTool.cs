using System.Diagnostics;
using Npgsql;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Engine.Backups;

/// <summary>
/// Runs pg_dump / pg_restore for a target. The connection reaches them only through the environment (PGHOST,
/// PGUSER, ...) and the password only through a private passfile in a private folder, deleted afterwards:
/// never on the command line, where every user of the machine could read it (/proc, ps). Inherited PG*
/// variables are replaced by what the connection says, so the tools connect exactly where the driver
/// did. Ctrl+C kills the tool.
/// </summary>
internal sealed class PgTool : IDisposable
{
    private readonly string _privateFolder;
    private readonly Dictionary<string, string> _environment;
    private readonly IDisposable _tracked;

    public PgTool(ConnectionTarget target, string? database = null)
    {
        var (connectionString, user, password, sslPassword) = target.SplitSecret();
        if (sslPassword is not null && (sslPassword.IndexOfAny(['\n', '\r']) >= 0 || sslPassword != sslPassword.TrimEnd()))
            throw Errors.Parameter(ErrorCatalog.InvalidConnectionString, // a service file line holds it, trimmed at its end
                "the client key's passphrase (sslpassword) ends with a space or holds a line break, which pg_dump and pg_restore cannot be given: change the passphrase");
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        _privateFolder = Directory.CreateTempSubdirectory("schemaops-pg-").FullName; // 0700 on Unix
        _tracked = Leftovers.Track("passfolder", _privateFolder); // the passfile is plain text: never outlive a killed run
        var endpoints = ConnectionTarget.Endpoints(b);
        _environment = new()
        {
            // libpq takes host and port lists apart (one port for all, or one per host).
            ["PGHOST"] = string.Join(',', endpoints.Select(e => e.Host)),
            ["PGPORT"] = string.Join(',', endpoints.Select(e => e.Port).Distinct().Count() == 1 ? [endpoints[0].Port] : endpoints.Select(e => e.Port)),
            ["PGDATABASE"] = database ?? b.Database ?? user ?? "",
            ["PGAPPNAME"] = "schemaops",
            ["PGCONNECT_TIMEOUT"] = b.Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGSSLMODE"] = ConnectionTarget.SslModeName(b.SslMode),
            ["LC_MESSAGES"] = "C", // errors are matched on their English text
        };
        // What the connection string leaves out, the driver took from the caller's environment (PGUSER,
        // PGPASSWORD, PGPASSFILE or ~/.pgpass): the tools get the same, the password still only through a passfile.
        user ??= Environment.GetEnvironmentVariable("PGUSER") is { Length: > 0 } envUser ? envUser : null;
        password ??= Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } envPassword ? envPassword : null;
        if (password is null && (b.Passfile is { Length: > 0 } ? b.Passfile : Environment.GetEnvironmentVariable("PGPASSFILE")) is { Length: > 0 } userPassfile)
            _environment["PGPASSFILE"] = userPassfile;
        if (user is not null) _environment["PGUSER"] = user;
        // Several hosts with a choice among them (a Flyway URL's targetServerType): libpq chooses the same way (it has no prefer-primary).
        if (b.TargetSessionAttributes is { } choice and not "prefer-primary") _environment["PGTARGETSESSIONATTRS"] = choice;
        if (b.RootCertificate is { } root) _environment["PGSSLROOTCERT"] = root;
        if (b.SslCertificate is { } cert) _environment["PGSSLCERT"] = cert;
        if (b.SslKey is { } key) _environment["PGSSLKEY"] = key;
        if (password is not null)
        {
            var passfile = Path.Combine(_privateFolder, "pgpass");
            using (var writer = new StreamWriter(PrivateFile.Create(passfile)))
                writer.Write($"*:*:*:*:{password.Replace("\\", "\\\\").Replace(":", "\\:")}\n");
            _environment["PGPASSFILE"] = passfile;
        }
        // libpq takes a client key's passphrase from the connection only (no variable; without it OpenSSL asks on the
        // terminal, mid-backup): a service file beside the passfile, private too, carries it off the command line.
        if (sslPassword is not null)
        {
            var serviceFile = Path.Combine(_privateFolder, "pg_service.conf");
            using (var writer = new StreamWriter(PrivateFile.Create(serviceFile)))
                writer.Write($"[schemaops]\nsslpassword={sslPassword}\n");
            _environment["PGSERVICEFILE"] = serviceFile;
            _environment["PGSERVICE"] = "schemaops";
        }
    }

    /// <summary>Runs the tool to its end; returns its exit code and the tail of its stderr. <paramref name="tick"/> runs every second meanwhile.</summary>
    public async Task<(int ExitCode, string Errors, string Output)> RunAsync(string tool, IEnumerable<string> args, CancellationToken ct, Action? tick = null)
    {
        using var process = Process.Start(StartInfo(tool, args, redirectInput: false)) ?? throw new SchemaOpsException(ErrorCatalog.ToolStartFailed, $"{tool} could not be started");
        using var child = Leftovers.TrackProcess(process);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            var exited = process.WaitForExitAsync(ct);
            while (await Task.WhenAny(exited, Task.Delay(1000, ct)).ConfigureAwait(false) != exited) tick?.Invoke();
            await exited.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return (process.ExitCode, Tail(await errors.ConfigureAwait(false)), await output.ConfigureAwait(false));
    }

    /// <summary>
    /// Runs <paramref name="producer"/> and feeds its output to <paramref name="consumer"/>'s input after
    /// <paramref name="prelude"/>; <paramref name="epilogue"/> follows only when the producer succeeded. A failing
    /// producer kills the consumer before it sees the end of its input. Returns both exit codes and error tails.
    /// </summary>
    public async Task<(int Producer, int Consumer, string Errors)> PipeAsync(string producer, IEnumerable<string> producerArgs, string consumer,
        IEnumerable<string> consumerArgs, string prelude, string epilogue, CancellationToken ct)
    {
        using var from = Process.Start(StartInfo(producer, producerArgs, redirectInput: false))
            ?? throw new SchemaOpsException(ErrorCatalog.ToolStartFailed, $"{producer} could not be started");
        using var to = Process.Start(StartInfo(consumer, consumerArgs, redirectInput: true))
            ?? throw new SchemaOpsException(ErrorCatalog.ToolStartFailed, $"{consumer} could not be started");
        using var children = new CompositeDisposable(Leftovers.TrackProcess(from), Leftovers.TrackProcess(to));
        var fromErrors = from.StandardError.ReadToEndAsync(CancellationToken.None);
        var toErrors = to.StandardError.ReadToEndAsync(CancellationToken.None);
        var toOutput = to.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            var input = to.StandardInput;
            await input.WriteAsync(prelude.AsMemory(), ct).ConfigureAwait(false);
            await input.FlushAsync(ct).ConfigureAwait(false);
            await from.StandardOutput.BaseStream.CopyToAsync(input.BaseStream, ct).ConfigureAwait(false);
            await from.WaitForExitAsync(ct).ConfigureAwait(false);
            if (from.ExitCode != 0)
            {
                Kill(to); // never let the consumer reach the end of a cut-off input
            }
            else
            {
                await input.WriteAsync(epilogue.AsMemory(), ct).ConfigureAwait(false);
                input.Close();
            }
            await to.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            Kill(from);
            Kill(to);
            await from.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await to.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (e is OperationCanceledException) throw;
        }
        await toOutput.ConfigureAwait(false);
        return (from.ExitCode, to.ExitCode, Tail(await fromErrors.ConfigureAwait(false) + "\n" + await toErrors.ConfigureAwait(false)));
    }

    private ProcessStartInfo StartInfo(string tool, IEnumerable<string> args, bool redirectInput)
    {
        var psi = Connections.LibpqEnvironment.StartInfo(tool, args);
        (psi.RedirectStandardOutput, psi.RedirectStandardError, psi.RedirectStandardInput) = (true, true, redirectInput);
        foreach (var (k, v) in _environment) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>pg_dump's refusal of a server newer than itself, recognised in its error output; null for any other failure.</summary>
    internal static SchemaOpsException? TooOldFor(string errors, string path) =>
        errors.Contains("server version mismatch", StringComparison.Ordinal)
            ? new SchemaOpsException(ErrorCatalog.PgDumpTooOld, $"pg_dump is older than the server:\n{errors}", path) : null;

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already gone
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n", lines.TakeLast(15));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_privateFolder, recursive: true);
            _tracked.Dispose();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private sealed class CompositeDisposable(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var p in parts) p.Dispose();
        }
    }
}
