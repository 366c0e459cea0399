using System.Diagnostics;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Engine.Backups;

/// <summary>
/// Test-DatabaseBackup: restores a backup into a throwaway database on the request's server, snapshots it
/// the way the backup's snapshot was taken, compares the two (schema, row counts, migrations), and drops
/// the throwaway database whatever happened. The backup is good when nothing differs.
/// </summary>
public static class BackupTestOperation
{
    private const int ProgressId = 5;

    /// <summary>The same test on a throwaway PostgreSQL started for it (its server binaries must not be older than the backup's pg_dump).</summary>
    public static async Task<BackupTestResult> TestOnEphemeralAsync(MigrationSettings settings, string backupPath, SchemaSnapshot? snapshot, string? pgBinDirectory,
        IOperationSink sink, CancellationToken ct)
    {
        var server = await EphemeralPostgres.StartAsync(new EphemeralOptions(pgBinDirectory, ExpectedDataBytes: EphemeralStorage.SizeOf(backupPath)), ct).ConfigureAwait(false);
        await using var serverScope = server.ConfigureAwait(false);
        sink.WriteVerbose($"started a throwaway PostgreSQL {server.MajorVersion} on 127.0.0.1:{server.Port} for the test restore");
        var target = ConnectionTarget.Parse(server.ConnectionString("postgres"));
        // Owners and grants are not restored; a role a policy (or user mapping) names is made on this server and the test run again.
        BackupTestResult? result = null;
        await MissingRoles.RunAsync(target, new HashSet<string>(StringComparer.Ordinal),
            async () => result = await TestAsync(new MigrationRequest(target, settings), backupPath, snapshot, pgBinDirectory, sink, ct).ConfigureAwait(false),
            retryable: () => true, sink, ct).ConfigureAwait(false);
        return result!;
    }

    public static async Task<BackupTestResult> TestAsync(MigrationRequest request, string backupPath, SchemaSnapshot? snapshot, string? pgBinDirectory, IOperationSink sink, CancellationToken ct)
    {
        var path = Path.GetFullPath(backupPath);
        var format = Directory.Exists(path) ? BackupFormat.Directory
            : File.Exists(path) ? BackupFormat.Custom
            : throw new SchemaOpsException(ErrorCatalog.BackupNotFound, $"backup {path} does not exist", path);
        var expected = snapshot ?? (File.Exists(path + ".snapshot.json") ? SnapshotFile.Load(path + ".snapshot.json")
            : throw new SchemaOpsException(ErrorCatalog.BackupSnapshotMissing,
                $"{path}.snapshot.json is missing: a test restore compares with the snapshot Backup-Database saves beside the backup", path));

        // The URL names the server to restore on; a database it names other than the maintenance one is most
        // likely the one the user means to check: say so when the backup is of another.
        var source = ConnectionTarget.DatabaseOf(expected.Database);
        if (request.Target.Database is { Length: > 0 } named && named is not ("postgres" or "template1") && named != source)
            sink.WriteWarning($"{path} is a backup of database '{source}' ({expected.Database}), not of '{named}' (the database the URL names): " +
                              $"this tests {source}'s backup, restored on {request.Target.Server}");

        var reserved = await ScratchDatabase.ReserveAsync(request.Target, "schemaops_restore_", sink).ConfigureAwait(false);
        await using var reservedScope = reserved.ConfigureAwait(false);
        var scratch = reserved.Name;
        var watch = Stopwatch.StartNew();
        var admin = request.Target.CreateConnection();
        await using var adminScope = admin.ConfigureAwait(false);
        await request.GuardAsync("preparing the test restore", async () =>
        {
            await admin.OpenAsync(ct).ConfigureAwait(false);
            await Poolers.RefuseForPgToolsAsync(admin, request.Target, "a test restore runs pg_restore", ct).ConfigureAwait(false);
            await admin.ExecuteAsync($"CREATE DATABASE {HistoryTableName.Quote(scratch)}", ct).ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);
        try
        {
            var tools = PostgresInstallation.FindClientTools(admin.PostgreSqlVersion.Major, pgBinDirectory);
            using (var pg = new PgTool(request.Target, scratch))
            {
                sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Test restore of {Path.GetFileName(path)}", $"restoring into {scratch}", -1));
                string[] args = ["--exit-on-error", "--no-owner", "--no-privileges", $"--dbname={scratch}",
                    .. format == BackupFormat.Directory ? [$"--jobs={Math.Max(1, Environment.ProcessorCount)}"] : Array.Empty<string>(), path];
                var (exit, errors, _) = await pg.RunAsync(tools.Tool("pg_restore"), args, ct,
                    tick: () => sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Test restore of {Path.GetFileName(path)}", $"restoring, {watch.Elapsed.TotalSeconds:0} s", -1))).ConfigureAwait(false);
                if (exit != 0)
                    throw new SchemaOpsException(ErrorCatalog.RestoreFailed, $"pg_restore could not restore {path}:\n{errors}", path);
            }
            var restoreMs = watch.ElapsedMilliseconds;
            sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Test restore of {Path.GetFileName(path)}", "comparing", -1));
            var rowCounts = expected.RowCounts.Count == 0 ? RowCountMode.None : expected.RowCounts.All(c => c.Exact) ? RowCountMode.Exact : RowCountMode.Estimated;
            var restoredRequest = request with { Target = request.Target.WithDatabase(scratch) };
            var actual = await SnapshotOperation.TakeAsync(restoredRequest, rowCounts, NullSink.Instance, ct).ConfigureAwait(false);
            // Restored without GRANTs (--no-privileges, as the scratch database's owner): privileges are not compared.
            var differences = SnapshotComparer.Compare(expected, actual).Where(d => d.Kind != SchemaObjectKind.Privileges).ToList();
            var result = new BackupTestResult
            {
                Backup = path, SourceDatabase = expected.Database, Passed = differences.Count == 0, DifferenceCount = differences.Count, Differences = differences, RestoreMilliseconds = restoreMs,
                RestoredInto = scratch, TablesChecked = actual.TableCount, RowsChecked = actual.RowCounts.Sum(c => c.Rows ?? 0),
            };
            sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Test restore of {Path.GetFileName(path)}", "done", 100, Completed: true));
            sink.WriteObject(result);
            return result;
        }
        finally
        {
            await admin.CloseAsync().ConfigureAwait(false); // then the reservation drops the scratch database
        }
    }
}
