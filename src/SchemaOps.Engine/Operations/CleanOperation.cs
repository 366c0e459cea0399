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
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
        UNION ALL SELECT 'VIEW', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'v'
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
        UNION ALL SELECT 'TABLE', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f') AND NOT c.relispartition
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
        UNION ALL SELECT 'SEQUENCE', format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
        UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
            format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, format('%I.%I', n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r', 'm', 'c') AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
        """;

    // Every object a DROP ... CASCADE can take, named as PostgreSQL's notices name them, outside the server's own
    // schemas: relations, columns, types, routines, constraints, triggers, defaults, policies, rules, operators,
    // collations, statistics, text search configurations, extensions, schemas, and the schema-less casts and
    // event triggers (schema null: never one of the managed schemas). Parent: the table a sub-object belongs to.
    private const string FootprintQuery = """
        SELECT * FROM (
          SELECT n.nspname AS schema, CASE WHEN c.relkind IN ('r', 'p') THEN 'table' WHEN c.relkind = 'v' THEN 'view' WHEN c.relkind = 'm' THEN 'materialized view'
                   WHEN c.relkind = 'S' THEN 'sequence' WHEN c.relkind = 'f' THEN 'foreign table' ELSE 'index' END AS kind,
                 format('%I.%I', n.nspname, c.relname) AS name,
                 CASE WHEN c.relkind IN ('i', 'I') THEN (SELECT format('%I.%I', n.nspname, t.relname) FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid WHERE x.indexrelid = c.oid) END AS parent
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind NOT IN ('t', 'c')
          UNION ALL SELECT n.nspname, 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname), format('%I.%I', n.nspname, c.relname)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f')
          UNION ALL SELECT n.nspname, CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, format('%I.%I', n.nspname, t.typname), NULL
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
          UNION ALL SELECT n.nspname, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
                 format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), NULL
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          UNION ALL SELECT n.nspname, 'constraint', format('%I on %I.%I', k.conname, n.nspname, coalesce(c.relname, t.typname)), format('%I.%I', n.nspname, coalesce(c.relname, t.typname))
            FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace LEFT JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_type t ON t.oid = k.contypid
          UNION ALL SELECT n.nspname, 'trigger', format('%I on %I.%I', g.tgname, n.nspname, c.relname), format('%I.%I', n.nspname, c.relname)
            FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT g.tgisinternal
          UNION ALL SELECT n.nspname, 'default', format('%I.%I.%I', n.nspname, c.relname, a.attname), format('%I.%I', n.nspname, c.relname)
            FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          UNION ALL SELECT n.nspname, 'policy', format('%I on %I.%I', p.polname, n.nspname, c.relname), format('%I.%I', n.nspname, c.relname)
            FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          UNION ALL SELECT n.nspname, 'rule', format('%I on %I.%I', r.rulename, n.nspname, c.relname), format('%I.%I', n.nspname, c.relname)
            FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rulename <> '_RETURN'
          UNION ALL SELECT n.nspname, 'operator', format('%I.%s(%s, %s)', n.nspname, o.oprname, o.oprleft::regtype, o.oprright::regtype), NULL
            FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
          UNION ALL SELECT n.nspname, 'collation', format('%I.%I', n.nspname, c.collname), NULL FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
          UNION ALL SELECT n.nspname, 'statistics', format('%I.%I', n.nspname, s.stxname), NULL FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
          UNION ALL SELECT n.nspname, 'text search configuration', format('%I.%I', n.nspname, c.cfgname), NULL FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
          UNION ALL SELECT n.nspname, 'extension', quote_ident(e.extname), NULL FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          UNION ALL SELECT n.nspname, 'schema', quote_ident(n.nspname), NULL FROM pg_namespace n
          UNION ALL SELECT NULL, 'cast', format('(%s AS %s)', c.castsource::regtype, c.casttarget::regtype), NULL FROM pg_cast c WHERE c.oid >= 16384
          UNION ALL SELECT NULL, 'event trigger', quote_ident(e.evtname), NULL FROM pg_event_trigger e
        ) f WHERE schema IS NULL OR schema !~ '^pg_' AND schema <> 'information_schema'
        """;

    public static async Task<IReadOnlyList<CleanedSchema>> CleanAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var settings = request.Settings;
        ProductionGuard.RefuseClean(request);
        if (!settings.CleanEnabled)
            throw new SchemaOpsException(ErrorCatalog.CleanDisabled,
                "clean drops every object in the managed schemas and is disabled: pass -AllowClean / --allow-clean, set cleanEnabled in the config, or SCHEMAOPS_CLEAN_ENABLED=true");
        RefuseSystemSchemas(settings.Schemas);

        var session = await request.OpenWithoutScriptsAsync(sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        RefuseSystemSchemas(session.Schemas); // the default schema, when none was named
        return await request.GuardAsync("cleaning", async () =>
        {
            var migrationLock = await MigrationLock.AcquireAsync(session, settings.LockWaitTimeout, sink, ct).ConfigureAwait(false);
            await using var migrationLockScope = migrationLock.ConfigureAwait(false);
            var created = (await session.ReadHistoryAsync(ct).ConfigureAwait(false)).Where(r => r.Type == HistoryTypes.Schema)
                .SelectMany(r => r.Script.Split(',')).Select(q => q.Trim().Trim('"').Replace("\"\"", "\"")).ToHashSet();
            var existing = (await session.MissingSchemasAsync(ct).ConfigureAwait(false)).ToHashSet();
            var schemas = session.Schemas.Where(s => !existing.Contains(s)).ToList();

            // What each schema's clean would drop, measured by doing it and rolling back: exactly what goes,
            // whatever CASCADE reaches, asked about (and shown under -WhatIf) before anything is dropped for good.
            var planned = await PlanAsync(session, request, schemas, created, sink, ct).ConfigureAwait(false);
            var accepted = schemas.Where(s => sink.ShouldProcess($"schema \"{s}\" in {request.Target.Display}", Describe(s, created, planned))).ToList();
            if (accepted.Count == 0) return [];

            return await OperationCallbacks.For(session, "Clean").AroundAsync(session, request, sink, async () =>
            {
                var results = await DropAndMeasureAsync(session, request, accepted, created, commit: true, ct).ConfigureAwait(false);
                foreach (var r in results) sink.WriteVerbose($"cleaned schema {r.Schema}: {r.ObjectsDropped} object(s)");
                foreach (var r in results) sink.WriteObject(r);
                return results;
            }, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>pg_catalog, pg_toast, information_schema...: the server's own, never cleaned.</summary>
    private static void RefuseSystemSchemas(IEnumerable<string> schemas)
    {
        if (schemas.FirstOrDefault(s => s.StartsWith("pg_", StringComparison.Ordinal) || s == "information_schema") is { } system)
            throw Errors.Parameter(ErrorCatalog.CleanSystemSchema,
                $"schema \"{system}\" belongs to PostgreSQL itself and is never cleaned: name the application's schemas with -Schema / --schema");
    }

    /// <summary>
    /// What each schema's clean would drop, measured by doing it and rolling back: exactly what goes, whatever
    /// CASCADE reaches. Null when the trial itself failed (a beforeClean callback may be what makes it work):
    /// the clean then runs between its callbacks and reports its own error.
    /// </summary>
    private static async Task<List<CleanedSchema>?> PlanAsync(MigrationSession session, MigrationRequest request, List<string> schemas, HashSet<string> created,
        IOperationSink sink, CancellationToken ct)
    {
        try
        {
            return await DropAndMeasureAsync(session, request, schemas, created, commit: false, ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            sink.WriteVerbose($"what the clean drops could not be listed beforehand: {e.SqlState}: {e.MessageText}");
            return null;
        }
    }

    private static string Describe(string schema, HashSet<string> created, List<CleanedSchema>? planned)
    {
        var plan = planned?.FirstOrDefault(p => p.Schema == schema);
        return (plan?.SchemaDropped ?? created.Contains(schema) ? "Drop the schema (SchemaOps created it) and everything in it" : "Drop every object in the schema")
            + (plan is null ? "" : plan.Dropped.Count == 0 ? " (it is empty)" : $": {string.Join(", ", plan.Dropped)}");
    }

    /// <summary>
    /// Drops each schema's objects (or the schema, when the history records creating it and it holds no extension)
    /// in one transaction and measures what went. Anything outside the managed schemas that went too (another
    /// schema's column of one of our types, its view on one of our tables, an extension) rolls everything back
    /// and refuses the clean, naming them. Committed only when asked to.
    /// </summary>
    private static async Task<List<CleanedSchema>> DropAndMeasureAsync(MigrationSession session, MigrationRequest request, List<string> schemas,
        HashSet<string> created, bool commit, CancellationToken ct)
    {
        var managed = session.Schemas.ToHashSet();
        var results = new List<CleanedSchema>();
        var outside = new List<string>();
        var tx = await session.Connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var before = await FootprintAsync(session.Connection, ct).ConfigureAwait(false);
        foreach (var schema in schemas)
        {
            var objects = await ObjectsAsync(session.Connection, schema, ct).ConfigureAwait(false);
            var dropSchema = created.Contains(schema) && !await HoldsExtensionObjectsAsync(session.Connection, schema, ct).ConfigureAwait(false);
            if (dropSchema)
                await session.Connection.ExecuteAsync($"DROP SCHEMA {HistoryTableName.Quote(schema)} CASCADE", ct).ConfigureAwait(false);
            else
                foreach (var (kind, name) in objects)
                    await session.Connection.ExecuteAsync($"DROP {kind} IF EXISTS {name} CASCADE", ct).ConfigureAwait(false); // IF EXISTS: an earlier CASCADE may have taken it
            var after = await FootprintAsync(session.Connection, ct).ConfigureAwait(false);
            var gone = Gone(before, after);
            before = after;
            outside.AddRange(gone.Where(g => g.Schema is null || !managed.Contains(g.Schema) || g.Kind == "extension").Select(g => g.ToString()));
            results.Add(new CleanedSchema
            {
                Schema = schema, ObjectsDropped = objects.Count, SchemaDropped = dropSchema, Database = request.Target.Database,
                Dropped = gone.Select(g => g.ToString()).ToList(),
            });
        }
        if (outside.Count > 0)
        {
            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new SchemaOpsException(ErrorCatalog.CleanReachesOutside,
                $"clean of {string.Join(", ", schemas)} would also drop what lies outside the managed schemas ({string.Join(", ", managed)}): "
                + $"{string.Join(", ", outside)}. Nothing was dropped: drop or change those yourself first, or manage their schema too.");
        }
        if (commit) await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        else await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        return results;
    }

    /// <summary>Whether an extension lives in the schema or owns objects there: its schema cannot go without it.</summary>
    private static async Task<bool> HoldsExtensionObjectsAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = $1)
                OR EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
                           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.deptype = 'e' AND n.nspname = $1)
                OR EXISTS (SELECT 1 FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
                           JOIN pg_namespace n ON n.oid = p.pronamespace WHERE d.deptype = 'e' AND n.nspname = $1)
                OR EXISTS (SELECT 1 FROM pg_depend d JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
                           JOIN pg_namespace n ON n.oid = t.typnamespace WHERE d.deptype = 'e' AND n.nspname = $1)
            """, connection) { Parameters = { new() { Value = schema } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>One object a clean can take with it; <see cref="Parent"/> is the table of a column, constraint, trigger...</summary>
    private sealed record Footprint(string? Schema, string Kind, string Name, string? Parent)
    {
        public override string ToString() => $"{Kind} {Name}";
    }

    /// <summary>What went between two footprints, without the columns, constraints... of a table that went itself.</summary>
    private static List<Footprint> Gone(HashSet<Footprint> before, HashSet<Footprint> after)
    {
        var gone = before.Where(f => !after.Contains(f)).ToList();
        var goneNames = gone.Where(f => f.Parent is null).Select(f => f.Name).ToHashSet();
        return gone.Where(f => f.Parent is null || !goneNames.Contains(f.Parent)).OrderBy(f => f.Schema).ThenBy(f => f.Kind).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static async Task<HashSet<Footprint>> FootprintAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(FootprintQuery, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var all = new HashSet<Footprint>();
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            all.Add(new Footprint(r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));
        return all;
    }

    /// <summary>The objects of <paramref name="schema"/> a clean drops (kind and qualified name), most dependent first; not an extension's.</summary>
    internal static async Task<List<(string Kind, string Name)>> ObjectsAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(ObjectsQuery, connection) { Parameters = { new() { Value = schema } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var objects = new List<(string, string)>();
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) objects.Add((r.GetString(0), r.GetString(1)));
        return objects;
    }
}
