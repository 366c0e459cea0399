using Npgsql;
using System.Diagnostics;
using System.Security.Cryptography;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Engine.Backups;

public sealed record BackupOptions(string Path)
{
    public BackupFormat Format { get; init; } = BackupFormat.Custom;
    /// <summary>Parallel dump jobs (directory format only).</summary>
    public int Jobs { get; init; } = 1;
    public RowCountMode RowCounts { get; init; } = RowCountMode.Exact;
    /// <summary>Where pg_dump and pg_restore are; null: found like the server binaries are.</summary>
    public string? PgBinDirectory { get; init; }
    /// <summary>
    /// How long a table's lock may be waited for (pg_dump's --lock-wait-timeout, and the snapshot's row counts); zero waits
    /// for ever. Reading takes ACCESS SHARE, which queues behind an ALTER TABLE waiting for its own lock: waiting for ever
    /// there was a backup hanging without a word at the start of the window.
    /// </summary>
    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Backup-Database: the real pg_dump, dumping the very snapshot (pg_export_snapshot) in which SchemaOps reads
/// the schema snapshot, so the two describe the same data. Written under a temporary name with owner-only
/// permissions, checked with pg_restore --list, hashed, then renamed into place: a failed or canceled dump
/// leaves nothing behind, and an existing file is never overwritten.
/// </summary>
public static class BackupOperation
{
    private const int ProgressId = 4;

    public static async Task<DatabaseBackup> BackupAsync(MigrationRequest request, BackupOptions options, IOperationSink sink, CancellationToken ct)
    {
        var path = System.IO.Path.GetFullPath(options.Path);
        if (options.Jobs < 1) throw Errors.Parameter(ErrorCatalog.InvalidJobs, $"jobs must be at least 1 (was {options.Jobs})");
        if (options.Jobs > 1 && options.Format != BackupFormat.Directory)
            throw Errors.Parameter(ErrorCatalog.ParallelNeedsDirectoryFormat, "parallel jobs need the directory format (-Format Directory / --format directory): pg_dump writes one file per table in parallel");
        if (File.Exists(path) || Directory.Exists(path))
            throw new SchemaOpsException(ErrorCatalog.BackupExists, $"{path} already exists: a backup never overwrites anything; choose another name", path);
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
            throw new SchemaOpsException(ErrorCatalog.BackupFolderNotFound, $"the folder {folder} does not exist", path);

        var session = await SnapshotOperation.OpenAsync(request, sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        if (!sink.ShouldProcess(path, $"Back up {request.Target.Display} with pg_dump ({options.Format} format)")) return new DatabaseBackup { Path = path, Format = options.Format, Database = request.Target.Display };
        await Poolers.RefuseForPgToolsAsync(session.Connection, request.Target, "a backup runs pg_dump", ct).ConfigureAwait(false);
        var serverMajor = session.ServerVersionNum / 10000;
        var tools = PostgresInstallation.FindClientTools(serverMajor, options.PgBinDirectory);
        var partial = path + ".partial";
        var snapshotPath = path + ".snapshot.json";
        using var partialEntry = Leftovers.Track("path", partial); // a killed run's half archive goes with the next run
        var watch = Stopwatch.StartNew();
        try
        {
            CreatePrivate(partial, options.Format);
            using var pg = new PgTool(request.Target);
            var (snapshot, toc) = await request.GuardAsync("backing up", async () =>
            {
                var tx = await SnapshotOperation.BeginAsync(session.Connection, ct, options.LockWaitTimeout).ConfigureAwait(false);
                await using var txScope = tx.ConfigureAwait(false);
                var exported = (string)(await session.Connection.ScalarAsync("SELECT pg_export_snapshot()", ct).ConfigureAwait(false))!;
                string[] args = [$"--format={(options.Format == BackupFormat.Custom ? "custom" : "directory")}", $"--file={partial}", $"--snapshot={exported}", "--no-password",
                    .. options.Jobs > 1 ? [$"--jobs={options.Jobs}"] : Array.Empty<string>(),
                    .. options.LockWaitTimeout > TimeSpan.Zero ? [$"--lock-wait-timeout={(long)options.LockWaitTimeout.TotalMilliseconds}"] : Array.Empty<string>()];
                using var dumpCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var dump = pg.RunAsync(tools.Tool("pg_dump"), args, dumpCancel.Token,
                    tick: () => sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Backing up {request.Target.Database}", $"{Size(partial, options.Format) / 1048576.0:0.0} MB written, {watch.Elapsed.TotalSeconds:0} s", -1)));
                SchemaSnapshot snapshot;
                try
                {
                    // Read while pg_dump runs: the same exported snapshot, on the other core.
                    snapshot = await SnapshotOperation.ReadAsync(session, request, options.RowCounts, NullSink.Instance, ct).ConfigureAwait(false);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    await dumpCancel.CancelAsync().ConfigureAwait(false);
                    try { await dump.ConfigureAwait(false); } catch (OperationCanceledException) { }
                    throw await LockWaitExceededAsync(request, options.LockWaitTimeout, path, CancellationToken.None).ConfigureAwait(false);
                }
                catch
                {
                    await dumpCancel.CancelAsync().ConfigureAwait(false);
                    try { await dump.ConfigureAwait(false); } catch (OperationCanceledException) { }
                    throw;
                }
                var (exit, errors, _) = await dump.ConfigureAwait(false);
                await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                if (exit != 0)
                    throw errors.Contains("lock timeout", StringComparison.Ordinal) ? await LockWaitExceededAsync(request, options.LockWaitTimeout, path, ct).ConfigureAwait(false) : DumpFailed(path, errors);
                var (listExit, listErrors, list) = await pg.RunAsync(tools.Tool("pg_restore"), ["--list", partial], ct).ConfigureAwait(false);
                if (listExit != 0)
                    throw DiskFull(path) ? NoSpace(path, listErrors)
                        : new SchemaOpsException(ErrorCatalog.BackupUnreadable, $"pg_restore cannot read the archive pg_dump wrote for {path}; nothing was kept:\n{listErrors}", path);
                return (snapshot, list.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';')));
            }).ConfigureAwait(false);

            var sha256 = Sha256(partial, options.Format);
            var size = Size(partial, options.Format);
            try
            {
                SnapshotFile.Save(snapshot, snapshotPath);
            }
            catch (SchemaOpsException e) when (DiskFull(path))
            {
                throw NoSpace(path, e.Message);
            }
            if (options.Format == BackupFormat.Directory) Directory.Move(partial, path);
            else File.Move(partial, path, overwrite: false);
            var backup = new DatabaseBackup
            {
                Path = path, Format = options.Format, SizeBytes = size, Sha256 = sha256, DurationMilliseconds = watch.ElapsedMilliseconds, CreatedAt = DateTime.UtcNow,
                Database = request.Target.Display, ServerVersion = snapshot.ServerVersion, PgDumpVersion = tools.MajorVersion, MigrationVersion = snapshot.MigrationVersion,
                TocEntries = toc, SnapshotPath = snapshotPath, Snapshot = snapshot,
            };
            sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Backing up {request.Target.Database}", "done", 100, Completed: true));
            sink.WriteObject(backup);
            return backup;
        }
        catch
        {
            Delete(partial);
            if (!File.Exists(path)) Delete(snapshotPath); // a sidecar without its backup would only mislead
            throw;
        }
    }

    private static void CreatePrivate(string partial, BackupFormat format)
    {
        try
        {
            // pg_dump writes into what exists, so the archive is owner-only from its first byte.
            if (format == BackupFormat.Directory)
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(partial);
                else Directory.CreateDirectory(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            else PrivateFile.Create(partial, FileMode.CreateNew).Dispose();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new SchemaOpsException(ErrorCatalog.BackupNotWritable, $"cannot create {partial}: {e.Message}", partial);
        }
    }

    private static SchemaOpsException NoSpace(string path, string errors) =>
        new(ErrorCatalog.BackupNoSpace, $"the disk holding {path} is full; the partial backup was removed:\n{errors}", path);

    /// <summary>
    /// Whether the disk the backup goes to has (next to) no room left: a failure there is the disk's, whatever
    /// the failing step says (an archive cut short at its last bytes, a sidecar that did not fit).
    /// </summary>
    private static bool DiskFull(string path)
    {
        try
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            return new DriveInfo(folder).AvailableFreeSpace < 1 << 20;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Task<SchemaOpsException> LockWaitExceededAsync(MigrationRequest request, TimeSpan wait, string path, CancellationToken ct) =>
        SnapshotOperation.LockWaitExceededAsync(request, wait, "a backup", "back up when it is done, or wait longer with -LockWaitTimeout / --lock-wait-timeout (0 waits for ever)", path, ct);

    private static SchemaOpsException DumpFailed(string path, string errors) =>
        errors.Contains("No space left on device", StringComparison.Ordinal) ? NoSpace(path, errors)
            : PgTool.TooOldFor(errors, path)
              ?? (errors.Contains("password authentication failed", StringComparison.Ordinal) || errors.Contains("no password supplied", StringComparison.Ordinal)
                    ? new SchemaOpsException(ErrorCatalog.BackupAuthenticationFailed, $"pg_dump could not log in:\n{errors}", path)
                    : new SchemaOpsException(ErrorCatalog.BackupFailed, $"pg_dump failed; nothing was kept:\n{errors}", path));

    private static long Size(string path, BackupFormat format)
    {
        try
        {
            return format == BackupFormat.Custom ? new FileInfo(path).Length : new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The file's SHA-256; for a directory, the SHA-256 of "name hash" lines of its files in name order.</summary>
    internal static string Sha256(string path, BackupFormat format)
    {
        static string Of(string file)
        {
            using var stream = File.OpenRead(file);
            return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        }
        if (format == BackupFormat.Custom) return Of(path);
        var lines = Directory.EnumerateFiles(path).Order(StringComparer.Ordinal).Select(f => $"{System.IO.Path.GetFileName(f)} {Of(f)}\n");
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines)))).ToLowerInvariant();
    }

    private static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
