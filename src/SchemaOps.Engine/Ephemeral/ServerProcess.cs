using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SchemaOps.Engine.Ephemeral;

/// <summary>Starting PostgreSQL's programs for a throwaway cluster: as the `postgres` OS user when we are root, their output kept for errors.</summary>
internal static class ServerProcess
{
    /// <summary>The OS user the server must run as: `postgres` when we are root, else ourselves (null).</summary>
    public static (int Uid, int Gid)? ServerUser()
    {
        if (!Unix.IsRoot) return null;
        return Unix.LookupUser(EphemeralPostgres.SuperUser) ?? throw new SchemaOpsException(ErrorCatalog.NoPostgresOsUser,
            "running as root, but PostgreSQL refuses to run as root and there is no 'postgres' OS user to run it as: create one (useradd --system postgres) or run as a normal user");
    }

    public static Process Start(string file, IEnumerable<string> args, string workingDirectory, bool asPostgres, BoundedLog log)
    {
        // initdb and postgres read PGDATA, PGPORT, PGOPTIONS...: the caller's are for another server.
        var psi = Connections.LibpqEnvironment.StartInfo(file, args);
        (psi.WorkingDirectory, psi.RedirectStandardOutput, psi.RedirectStandardError) = (workingDirectory, true, true);
        if (asPostgres) psi.UserName = EphemeralPostgres.SuperUser;
        psi.Environment["LC_MESSAGES"] = "C";
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => log.Add(e.Data);
        p.ErrorDataReceived += (_, e) => log.Add(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    public static async Task RunToolAsync(string file, IEnumerable<string> args, string workingDirectory, bool asPostgres, CancellationToken ct)
    {
        var log = new BoundedLog();
        using var p = Start(file, args, workingDirectory, asPostgres, log);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0)
            throw new SchemaOpsException(ErrorCatalog.EphemeralInitFailed,
                $"{Path.GetFileName(file)} failed with exit code {p.ExitCode}:\n{log.Text}");
    }

    /// <summary>The cluster's own socket folder, owner-only; none where unix sockets are not a thing or the path is too long for one (about 107 bytes).</summary>
    public static string[] SocketArguments(string directory) =>
        OperatingSystem.IsWindows() || directory.Length > 80 ? [] : ["-k", directory, "-c", "unix_socket_permissions=0700"];

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The last lines the server printed, for error messages.</summary>
internal sealed class BoundedLog
{
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > 40) _lines.Dequeue();
        }
    }

    public string Text
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }
}
