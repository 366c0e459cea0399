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
    /// <summary>Replace what the database holds with what the backup holds (into a database that is not empty).</summary>
    public bool Clean { get; init; }
    public string? PgBinDirectory { get; init; }
    /// <summary>
    /// Objects owned by the restoring user and no GRANT/REVOKE (pg_restore's --no-owner --no-privileges): for a throwaway
    /// server, which has none of the roles the backup names.
    /// </summary>
    public bool WithoutOwnersAndPrivileges { get; init; }
}

/// <summary>
/// Restore-Database: pg_restore into the target database in ONE transaction, so a failed restore changes nothing.
/// A database that already holds objects is refused unless -Clean says to replace it; then everything the backup
/// does not hold goes too (tables a later migration created, schemas and extensions since), in the same
/// transaction: afterwards the database is the backup's, not a mix. A production database needs explicit
/// confirmation, as for every destructive change.
/// </summary>
public static class RestoreOperation
{
    private const int ProgressId = 6;

    public static async Task<RestoreResult?> RestoreAsync(MigrationRequest request, string backupPath, RestoreOptions options, IOperationSink sink, CancellationToken ct)
    {
        if (options.CreateDatabase && options.Clean)
            throw Errors.Parameter(ErrorCatalog.RestoreCreateAndClean, "creating the database and cleaning it exclude each other: a new database has nothing to replace");
        var path = Path.GetFullPath(backupPath);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new SchemaOpsException(ErrorCatalog.BackupNotFound, $"backup {path} does not exist", path);
        var target = request.Target;
        if (!sink.ShouldProcess(target.Display, options.Clean ? $"Replace the objects of the database with those of {path}" : $"Restore {path}")) return null;
        ProductionGuard.DemandConfirmation(request, "restore");

        var watch = Stopwatch.StartNew();
        var admin = target.WithDatabase("postgres");
        int serverMajor = 0;
        await request.GuardAsync("preparing the restore", async () =>
        {
            var connection = (options.CreateDatabase ? admin : target).CreateConnection();
            await using var connectionScope = connection.ConfigureAwait(false);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await Poolers.RefuseForPgToolsAsync(connection, target, "a restore runs pg_restore", ct).ConfigureAwait(false);
            serverMajor = connection.PostgreSqlVersion.Major;
            if (options.CreateDatabase)
                await connection.ExecuteAsync($"CREATE DATABASE {HistoryTableName.Quote(target.Database)}", ct).ConfigureAwait(false);
            else if (!options.Clean && (long)(await connection.ScalarAsync(
                         "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'", ct).ConfigureAwait(false))! > 0)
                throw new SchemaOpsException(ErrorCatalog.RestoreTargetNotEmpty,
                    $"{target.Display} already holds objects; nothing was changed. Pass -Clean / --clean to replace its contents with the backup's, or restore into a new database (-CreateDatabase / --create)");
            return 0;
        }).ConfigureAwait(false);

        var tools = PostgresInstallation.FindClientTools(serverMajor, options.PgBinDirectory);
        using var pg = new PgTool(target);
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Restoring into {target.Database}", options.Clean ? "replacing its contents" : "restoring", -1));
        // pg_restore writes the SQL, psql runs it in ONE transaction that is committed only after pg_restore finished well:
        // a failed restore changes nothing, and one whose runner is killed stops with it (psql's input ends without a
        // COMMIT; pg_restore's output has nowhere to go). With -Clean, pg_restore's --clean drops only what the backup
        // holds: the prelude removes the rest, in the same transaction.
        var prelude = options.Clean ? await request.GuardAsync("reading what the restore replaces", () => ReplacePreludeAsync(target, pg, tools, path, ct)).ConfigureAwait(false) : "BEGIN;\n";
        string[] restore = [.. options.Clean ? ["--clean", "--if-exists"] : Array.Empty<string>(),
            .. options.WithoutOwnersAndPrivileges ? ["--no-owner", "--no-privileges"] : Array.Empty<string>(), "--file=-", path];
        var (producer, consumer, errors) = await pg.PipeAsync(tools.Tool("pg_restore"), restore,
            tools.Tool("psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", $"--dbname={target.Database}", "--file=-"], prelude, "COMMIT;\n", ct).ConfigureAwait(false);
        var exit = producer != 0 ? producer : consumer;
        if (exit != 0)
        {
            if (options.CreateDatabase) await ScratchDatabase.DropAsync(target, target.Database).ConfigureAwait(false);
            throw new SchemaOpsException(ErrorCatalog.RestoreFailed,
                $"pg_restore failed; its single transaction rolled back, so {target.Display} is as it was{(options.CreateDatabase ? " (the new database was dropped)" : "")}:\n{errors}", path);
        }
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, $"Restoring into {target.Database}", "done", 100, Completed: true));
        var result = new RestoreResult { Backup = path, Database = target.Display, Created = options.CreateDatabase, Replaced = options.Clean, DurationMilliseconds = watch.ElapsedMilliseconds };
        sink.WriteObject(result);
        return result;
    }

    /// <summary>
    /// BEGIN, then DROP statements for what the backup does not hold: extensions and schemas it has no entry for, and
    /// every object of the schemas it shares (its own --clean then drops nothing twice, and recreates them).
    /// </summary>
    private static async Task<string> ReplacePreludeAsync(ConnectionTarget target, PgTool pg, PostgresInstallation tools, string archive, CancellationToken ct)
    {
        var (exit, errors, toc) = await pg.RunAsync(tools.Tool("pg_restore"), ["--list", archive], ct).ConfigureAwait(false);
        if (exit != 0) throw new SchemaOpsException(ErrorCatalog.BackupUnreadable, $"pg_restore cannot read {archive}; nothing was changed:\n{errors}", archive);
        var held = System.Text.RegularExpressions.Regex.Matches(toc, @"^\d+;\s+\d+\s+\d+\s+(SCHEMA|EXTENSION)\s+-\s+(\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => (Kind: m.Groups[1].Value, Name: m.Groups[2].Value)).ToHashSet();

        var sql = new System.Text.StringBuilder("BEGIN;\n");
        var connection = target.CreateConnection();
        await using var connectionScope = connection.ConfigureAwait(false);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        foreach (var extension in await connection.StringsAsync("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname", ct).ConfigureAwait(false))
            if (!held.Contains(("EXTENSION", extension))) sql.AppendLine($"DROP EXTENSION IF EXISTS {HistoryTableName.Quote(extension)} CASCADE;");
        const string Schemas = """
            SELECT nspname FROM pg_namespace n WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
            ORDER BY nspname
            """;
        foreach (var schema in await connection.StringsAsync(Schemas, ct).ConfigureAwait(false))
        {
            if (schema != "public" && !held.Contains(("SCHEMA", schema))) sql.AppendLine($"DROP SCHEMA {HistoryTableName.Quote(schema)} CASCADE;");
            else foreach (var (kind, name) in await CleanOperation.ObjectsAsync(connection, schema, ct).ConfigureAwait(false)) sql.AppendLine($"DROP {kind} IF EXISTS {name} CASCADE;");
        }
        return sql.ToString();
    }

}
