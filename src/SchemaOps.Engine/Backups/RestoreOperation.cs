using System.Diagnostics;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Backups;

public sealed record RestoreOptions
{
    /// <summary>Create the target database first (it must not exist).</summary>
    public bool CreateDatabase { get; init; }
    /// <summary>Drop the objects the backup holds before recreating them (into a database that is not empty).</summary>
    public bool Clean { get; init; }
    public string? PgBinDirectory { get; init; }
}

/// <summary>
/// Restore-Database: pg_restore into the target database in ONE transaction (--single-transaction), so a
/// failed restore changes nothing. A database that already holds objects is refused unless -Clean says to
/// replace them; a production database needs explicit confirmation, as for every destructive change.
/// </summary>
public static class RestoreOperation
{
    private const int ProgressId = 6;

    public static async Task<RestoreResult?> RestoreAsync(MigrationRequest request, string backupPath, RestoreOptions options, IOperationSink sink, CancellationToken ct)
    {
        var path = Path.GetFullPath(backupPath);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new SchemaOpsException("BackupNotFound", SchemaOpsErrorCategory.ObjectNotFound, $"backup {path} does not exist", path);
        var target = request.Target;
        if (!sink.ShouldProcess(target.Display, options.Clean ? $"Replace the objects of the database with those of {path}" : $"Restore {path}")) return null;
        ProductionGuard.DemandConfirmation(request, "restore");

        var watch = Stopwatch.StartNew();
        var admin = target.WithDatabase("postgres");
        int serverMajor = 0;
        await request.GuardAsync("preparing the restore", async () =>
        {
            await using var connection = (options.CreateDatabase ? admin : target).CreateConnection();
            await connection.OpenAsync(ct);
            serverMajor = connection.PostgreSqlVersion.Major;
            if (options.CreateDatabase)
                await connection.ExecuteAsync($"CREATE DATABASE {HistoryTableName.Quote(target.Database)}", ct);
            else if (!options.Clean && (long)(await connection.ScalarAsync(
                         "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'", ct))! > 0)
                throw new SchemaOpsException("RestoreTargetNotEmpty", SchemaOpsErrorCategory.InvalidOperation,
                    $"{target.Display} already holds objects; nothing was changed. Pass -Clean / --clean to drop and replace the objects the backup holds, or restore into a new database (-CreateDatabase / --create)");
            return 0;
        });

        var tools = PostgresInstallation.FindClientTools(serverMajor, options.PgBinDirectory);
        using var pg = new PgTool(target);
        string[] args = ["--exit-on-error", "--single-transaction", $"--dbname={target.Database}", .. options.Clean ? ["--clean", "--if-exists"] : Array.Empty<string>(), path];
        var (exit, errors, _) = await pg.RunAsync(tools.Tool("pg_restore"), args, ct,
            tick: () => sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Restoring into {target.Database}", $"{watch.Elapsed.TotalSeconds:0} s", -1)));
        if (exit != 0)
        {
            if (options.CreateDatabase) await DropQuietlyAsync(admin, target.Database);
            throw new SchemaOpsException("RestoreFailed", SchemaOpsErrorCategory.InvalidOperation,
                $"pg_restore failed; its single transaction rolled back, so {target.Display} is as it was{(options.CreateDatabase ? " (the new database was dropped)" : "")}:\n{errors}", path);
        }
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Restoring into {target.Database}", "done", 100, Completed: true));
        var result = new RestoreResult { Backup = path, Database = target.Display, Created = options.CreateDatabase, Replaced = options.Clean, DurationMilliseconds = watch.ElapsedMilliseconds };
        sink.WriteObject(result);
        return result;
    }

    /// <summary>Drops a database SchemaOps created (a failed restore's, a rehearsal's scratch one); a failure here is not the error to report.</summary>
    internal static async Task DropQuietlyAsync(ConnectionTarget admin, string database)
    {
        try
        {
            await using var c = admin.CreateConnection();
            await c.OpenAsync();
            await c.ExecuteAsync($"DROP DATABASE IF EXISTS {HistoryTableName.Quote(database)} WITH (FORCE)", CancellationToken.None);
        }
        catch (Npgsql.NpgsqlException) { } // the restore's own error is the one to report
    }
}
