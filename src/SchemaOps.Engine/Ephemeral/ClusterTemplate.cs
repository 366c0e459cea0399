using System.Security.Cryptography;

namespace SchemaOps.Engine.Ephemeral;

/// <summary>
/// The initdb template every throwaway cluster is copied from: made once per set of PostgreSQL binaries in the
/// base folder (initdb takes about a second; a copy a few milliseconds), with the settings a throwaway server wants.
/// </summary>
internal static class ClusterTemplate
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The template's data folder and the superuser password it was made with; made first if need be.</summary>
    public static async Task<(string Data, string Password)> EnsureAsync(PostgresInstallation installation, string baseDir, (int, int)? runAs, CancellationToken ct)
    {
        // One template per set of binaries; a binary replaced in place (an upgrade) gets a new one.
        var postgres = new FileInfo(installation.Tool("postgres"));
        var identity = $"{installation.BinDirectory}|{postgres.Length}|{postgres.LastWriteTimeUtc.Ticks}";
        var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..12].ToLowerInvariant();
        var template = Path.Combine(baseDir, $"template-{key}");
        var passwordFile = Path.Combine(template, "password");
        await Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!File.Exists(Path.Combine(template, "ready")))
            {
                // Build in a private folder and rename into place, so concurrent processes never see half a template.
                var staging = Path.Combine(baseDir, $"staging-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
                Directory.CreateDirectory(staging);
                try
                {
                    var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
                    var pwfile = Path.Combine(staging, "pwfile");
                    using (var writer = new StreamWriter(PrivateFile.Create(pwfile))) writer.Write(password);
                    if (runAs is { } owner) Unix.ChownTree(staging, owner);
                    var data = Path.Combine(staging, "data");
                    await ServerProcess.RunToolAsync(installation.Tool("initdb"),
                        ["-D", data, "-U", EphemeralPostgres.SuperUser, "--pwfile", pwfile, "--auth", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"],
                        staging, runAs is not null, ct).ConfigureAwait(false);
                    File.Delete(pwfile);
                    File.AppendAllText(Path.Combine(data, "postgresql.conf"), """

                        # schemaops ephemeral cluster: loopback only, no socket, speed over durability (it is thrown away)
                        listen_addresses = '127.0.0.1'
                        unix_socket_directories = ''
                        fsync = off
                        synchronous_commit = off
                        full_page_writes = off
                        max_connections = 100
                        log_min_messages = warning

                        """);
                    using (var writer = new StreamWriter(PrivateFile.Create(Path.Combine(staging, "password")))) writer.Write(password);
                    File.WriteAllText(Path.Combine(staging, "ready"), "");
                    try
                    {
                        Directory.Move(staging, template);
                    }
                    catch (IOException) when (File.Exists(Path.Combine(template, "ready")))
                    {
                        // another process finished first: use its template
                    }
                }
                finally
                {
                    ClusterFolder.DeleteQuietly(staging);
                }
            }
            return (Path.Combine(template, "data"), File.ReadAllText(passwordFile).Trim());
        }
        finally
        {
            Gate.Release();
        }
    }
}
