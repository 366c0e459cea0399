using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.History;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// Clean: drops every object in the managed schemas, and the schemas themselves when the history records
/// creating them (SCHEMA row), in one transaction under the migration lock. Disabled unless explicitly
/// enabled, and always refused for a production environment.
/// </summary>
public static class CleanOperation
{
    // Objects to drop, most dependent first; CASCADE takes care of what depends on them across kinds.
    private const string ObjectsQuery = """
        SELECT 'MATERIALIZED VIEW', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'm'
        UNION ALL SELECT 'VIEW', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'v'
        UNION ALL SELECT 'TABLE', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f') AND NOT c.relispartition
        UNION ALL SELECT 'SEQUENCE', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
        UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
            format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, format('%I.%I', n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r', 'm', 'c') AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
        """;

    public static async Task<IReadOnlyList<CleanedSchema>> CleanAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var settings = request.Settings;
        ProductionGuard.RefuseClean(request);
        if (!settings.CleanEnabled)
            throw new SchemaOpsException("CleanDisabled", SchemaOpsErrorCategory.PermissionDenied,
                "clean drops every object in the managed schemas and is disabled: pass -AllowClean / --allow-clean, set cleanEnabled in the config, or SCHEMAOPS_CLEAN_ENABLED=true");

        await using var session = await request.OpenWithoutScriptsAsync(sink, ct);
        return await request.GuardAsync("cleaning", async () =>
        {
            await using var migrationLock = await MigrationLock.AcquireAsync(session, settings.LockWaitTimeout, sink, ct);
            var created = (await session.ReadHistoryAsync(ct)).Where(r => r.Type == HistoryTypes.Schema)
                .SelectMany(r => r.Script.Split(',')).Select(q => q.Trim().Trim('"').Replace("\"\"", "\"")).ToHashSet();
            var existing = (await session.MissingSchemasAsync(ct)).ToHashSet();
            var schemas = session.Schemas.Where(s => !existing.Contains(s)).ToList();

            var accepted = schemas.Where(s => sink.ShouldProcess($"schema \"{s}\" in {request.Target.Display}",
                created.Contains(s) ? "Drop the schema (SchemaOps created it) and everything in it" : "Drop every object in the schema")).ToList();
            if (accepted.Count == 0) return [];

            return await OperationCallbacks.For(session, "Clean").AroundAsync(session, request, sink, () => DropAsync(session, request, accepted, created, sink, ct), ct);
        });
    }

    private static async Task<IReadOnlyList<CleanedSchema>> DropAsync(MigrationSession session, MigrationRequest request, List<string> accepted, HashSet<string> created,
        IOperationSink sink, CancellationToken ct)
    {
        var results = new List<CleanedSchema>();
        await using var tx = await session.Connection.BeginTransactionAsync(ct);
        foreach (var schema in accepted)
        {
            var objects = await ObjectsAsync(session.Connection, schema, ct);
            if (created.Contains(schema))
                await session.Connection.ExecuteAsync($"DROP SCHEMA {HistoryTableName.Quote(schema)} CASCADE", ct);
            else
                foreach (var (kind, name) in objects)
                    await session.Connection.ExecuteAsync($"DROP {kind} IF EXISTS {name} CASCADE", ct); // IF EXISTS: an earlier CASCADE may have taken it
            sink.WriteVerbose($"cleaned schema {schema}: {objects.Count} object(s)");
            results.Add(new CleanedSchema { Schema = schema, ObjectsDropped = objects.Count, SchemaDropped = created.Contains(schema), Database = request.Target.Database });
        }
        await tx.CommitAsync(CancellationToken.None);
        foreach (var r in results) sink.WriteObject(r);
        return results;
    }

    /// <summary>The objects of <paramref name="schema"/> a clean drops (kind and qualified name), most dependent first; not an extension's.</summary>
    internal static async Task<List<(string Kind, string Name)>> ObjectsAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(ObjectsQuery, connection) { Parameters = { new() { Value = schema } } };
        var objects = new List<(string, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) objects.Add((r.GetString(0), r.GetString(1)));
        return objects;
    }
}
