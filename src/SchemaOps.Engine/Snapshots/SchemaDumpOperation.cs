using System.Diagnostics;
using System.Text;
using Npgsql;
using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Snapshots;

/// <summary>
/// dump / Export-DatabaseSchema: the schema file dbmate keeps beside its migrations (db/schema.sql), byte for byte what
/// `dbmate dump` writes for the same database, so a team that commits it sees no churn whichever tool ran last:
/// pg_dump --schema-only --no-privileges --no-owner (with dbmate's fixed --restrict-key where pg_dump has one), leading
/// comment lines dropped and trailing blanks trimmed, then, for dbmate's history, the applied versions as an INSERT.
/// Unlike dbmate, the versions are read in the very snapshot pg_dump dumps, a failure is an error (dbmate ignores it),
/// and the file is replaced whole or not at all (left untouched when its text is already this).
/// </summary>
public static class SchemaDumpOperation
{
    /// <param name="pgBinDirectory">Where pg_dump is; null: found like the server binaries.</param>
    public static async Task<SchemaDump> DumpAsync(MigrationRequest request, string path, string? pgBinDirectory, IOperationSink sink, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        var session = await SnapshotOperation.OpenAsync(request, sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        var schemas = request.Settings.Schemas.Count > 0 ? request.Settings.Schemas.ToList() : SearchPathSchemas(request.Target);
        if (!sink.ShouldProcess(full, $"Write the schema of {request.Target.Display} (pg_dump --schema-only)"))
            return new SchemaDump { Path = full, Database = request.Target.Display, Schemas = schemas };
        await Poolers.RefuseForPgToolsAsync(session.Connection, request.Target, "a schema dump runs pg_dump", ct).ConfigureAwait(false);
        var tools = PostgresInstallation.FindClientTools(session.ServerVersionNum / 10000, pgBinDirectory);
        var watch = Stopwatch.StartNew();
        var folder = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(folder); // as dbmate does for db/
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SchemaOpsException(ErrorCatalog.SchemaFileNotWritten, $"cannot create the folder {folder}: {e.Message}", full);
        }

        var partial = $"{full}.partial-{Environment.ProcessId}";
        using var partialEntry = Leftovers.Track("path", partial);
        try
        {
            var (dumped, versions, inEffect) = await request.GuardAsync("dumping the schema", async () =>
            {
                // The versions and the schema of one moment: pg_dump dumps the snapshot this transaction reads in.
                var tx = await SnapshotOperation.BeginAsync(session.Connection, ct, TimeSpan.Zero).ConfigureAwait(false);
                await using var txScope = tx.ConfigureAwait(false);
                var exported = (string)(await session.Connection.ScalarAsync("SELECT pg_export_snapshot()", ct).ConfigureAwait(false))!;
                var historyExists = await session.History.ExistsAsync(ct).ConfigureAwait(false);
                (string Table, List<string> Literals)? versions = historyExists && session.History is DbmateHistoryTable ? await DbmateVersionsAsync(session.Connection, session.History.Name, ct).ConfigureAwait(false) : null;
                var inEffect = historyExists ? SnapshotOperation.VersionInEffect(await session.ReadHistoryAsync(ct).ConfigureAwait(false)) : null;
                // Run only once nothing else can fail: a pg_dump left running would write its file after we cleaned up.
                using var pg = new PgTool(request.Target);
                var (exit, errors, _) = await pg.RunAsync(tools.Tool("pg_dump"), DumpArguments(partial, exported, tools.Version, schemas), ct).ConfigureAwait(false);
                await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                if (exit != 0)
                    throw PgTool.TooOldFor(errors, full)
                          ?? new SchemaOpsException(ErrorCatalog.SchemaDumpFailed, $"pg_dump failed; {full} was left as it was:\n{errors}", full);
                return (await File.ReadAllTextAsync(partial, Encoding.UTF8, ct).ConfigureAwait(false), versions, inEffect);
            }).ConfigureAwait(false);

            var text = session.History is DbmateHistoryTable ? dumped + DbmateVersionsSection(versions) : dumped;
            var bytes = new UTF8Encoding(false).GetBytes(DbmateTrim(text));
            var changed = !File.Exists(full) || !File.ReadAllBytes(full).AsSpan().SequenceEqual(bytes);
            if (changed) AtomicFile.Write(full, bytes, ErrorCatalog.SchemaFileNotWritten, "the schema file");
            sink.WriteVerbose(changed ? $"wrote {full}" : $"{full} already held this schema: left untouched");
            var result = new SchemaDump
            {
                Path = full, Database = request.Target.Display, Schemas = schemas, Versions = versions?.Literals.Count ?? 0, MigrationVersion = inEffect,
                SizeBytes = bytes.Length, Changed = changed, PgDumpVersion = tools.MajorVersion, DurationMilliseconds = watch.ElapsedMilliseconds,
            };
            sink.WriteObject(result);
            return result;
        }
        finally
        {
            try { File.Delete(partial); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>dbmate's pg_dump arguments; the connection goes through the environment (PgTool), and the snapshot is ours.</summary>
    internal static List<string> DumpArguments(string file, string snapshot, Version pgDump, IEnumerable<string> schemas)
    {
        List<string> args = ["--format=plain", "--encoding=UTF8", "--schema-only", "--no-privileges", "--no-owner"];
        // pg_dump 15.14, 16.10 and 17.6 began writing \restrict with a random key: dbmate fixes it so the file does not change every time.
        if (pgDump >= new Version(17, 6) || pgDump.Major == 16 && pgDump.Minor >= 10 || pgDump.Major == 15 && pgDump.Minor >= 14)
            args.Add("--restrict-key=dbmate");
        foreach (var schema in schemas) args.AddRange(["--schema", schema]);
        args.AddRange([$"--file={file}", $"--snapshot={snapshot}", "--no-password"]);
        return args;
    }

    /// <summary>The schemas of the connection's search_path: what dbmate dumps when its URL names one.</summary>
    private static List<string> SearchPathSchemas(ConnectionTarget target) =>
        (new NpgsqlConnectionStringBuilder(target.SplitSecret().ConnectionString).SearchPath ?? "")
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static async Task<(string Table, List<string> Literals)> DbmateVersionsAsync(NpgsqlConnection connection, HistoryTableName name, CancellationToken ct)
    {
        // Quoted by the server, as dbmate does, so a name is quoted only where it must be.
        var quote = new NpgsqlCommand("SELECT quote_ident($1) || '.' || quote_ident($2)", connection) { Parameters = { new() { Value = name.Schema }, new() { Value = name.Table } } };
        await using var quoteScope = quote.ConfigureAwait(false);
        var table = (string)(await quote.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        var literals = await connection.StringsAsync($"SELECT quote_literal(version) FROM {name.Quoted} ORDER BY version ASC", ct).ConfigureAwait(false);
        return (table, literals);
    }

    private static string DbmateVersionsSection((string Table, List<string> Literals)? versions)
    {
        var section = new StringBuilder("\n--\n-- Dbmate schema migrations\n--\n\n");
        if (versions is { Literals.Count: > 0 } v)
            section.Append($"INSERT INTO {v.Table} (version) VALUES\n    ({string.Join("),\n    (", v.Literals)});\n");
        return section.ToString();
    }

    /// <summary>dbmate's TrimLeadingSQLComments: the leading empty and "--" lines dropped, every line's trailing blanks trimmed, each ended by \n.</summary>
    internal static string DbmateTrim(string text)
    {
        var lines = text.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length; // a final \n ends a line, it does not start one
        var result = new StringBuilder(text.Length);
        var preamble = true;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i];
            if (preamble && (line.TrimEnd('\r').Length == 0 || line.StartsWith("--", StringComparison.Ordinal))) continue;
            preamble = false;
            result.Append(line.TrimEnd()).Append('\n');
        }
        return result.ToString();
    }
}
