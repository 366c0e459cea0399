namespace SchemaOps.Engine.Snapshots;

/// <summary>
/// The catalog query behind a snapshot: one row per object (kind, schema, name, table, definition), with
/// definitions as PostgreSQL itself prints them (pg_get_*def), so two snapshots compare as text. Objects
/// that belong to extensions, and the history tables, are left out ($2): they are the extension's and the
/// history's business, recorded separately. Column positions count only live columns, so a restore (which
/// renumbers after dropped columns) compares equal.
/// </summary>
internal static class SnapshotQueries
{
    public const string UserSchemas = """
        SELECT nspname FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'
        ORDER BY nspname
        """;

    public const string Objects = """
        WITH s AS (SELECT oid, nspname, nspowner, nspacl FROM pg_namespace WHERE nspname = ANY($1)),
        ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e'),
        rel AS (
            SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relispartition, c.relrowsecurity, c.relforcerowsecurity, c.relowner, c.relacl, s.nspname
            FROM pg_class c JOIN s ON s.oid = c.relnamespace
            WHERE c.oid NOT IN (SELECT objid FROM ext) AND NOT (s.nspname || '.' || c.relname = ANY($2))),
        -- Privileges: each object's access list (NULL while nothing was ever granted or revoked) beside PostgreSQL's default for it.
        acl AS (
            SELECT s.nspname, ''::text AS name, NULL::text AS tbl, s.nspowner AS owner, s.nspacl AS acl, acldefault('n'::"char", s.nspowner) AS dflt FROM s
            UNION ALL
            SELECT r.nspname, r.relname, r.relname, r.relowner, r.relacl, acldefault((CASE r.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char", r.relowner)
            FROM rel r WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
            UNION ALL
            SELECT s.nspname, quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', NULL, p.proowner, p.proacl, acldefault('f'::"char", p.proowner)
            FROM pg_proc p JOIN s ON s.oid = p.pronamespace WHERE p.oid NOT IN (SELECT objid FROM ext)),
        -- One GRANT line per object, grantee and grant option, for its access list now and for its default. The grantor is
        -- left out, and so are the owner's own rights: migrations replayed on a throwaway server (drift) run as another owner.
        grants AS (
            SELECT a.nspname, a.name, a.tbl, w.now,
                   'GRANT ' || string_agg(DISTINCT x.privilege_type, ', ' ORDER BY x.privilege_type) || ' TO '
                   || CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END
                   || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS line
            FROM acl a CROSS JOIN LATERAL (VALUES (true, a.acl), (false, a.dflt)) w(now, list) CROSS JOIN LATERAL aclexplode(w.list) x
            WHERE a.acl IS NOT NULL AND x.grantee <> a.owner -- a NULL list is the default: nothing granted or revoked
            GROUP BY a.nspname, a.name, a.tbl, w.now, x.grantee, x.is_grantable),
        granted AS (
            SELECT nspname, name, tbl, string_agg(line, '; ' ORDER BY line) FILTER (WHERE now) AS now, string_agg(line, '; ' ORDER BY line) FILTER (WHERE NOT now) AS dflt
            FROM grants GROUP BY nspname, name, tbl)
        -- Every column text, not name: the first branch decides the union's types, and name would cut every
        -- key to 63 bytes (two long constraint names of one table would share one). Parts of a composite key
        -- are quoted as needed, so table "a.b" column c and table a column "b.c" differ.
        SELECT 'Schema', nspname::text, nspname::text, NULL::text, ''::text FROM s
        UNION ALL
        SELECT 'Extension', s.nspname, e.extname, NULL, e.extversion FROM pg_extension e JOIN s ON s.oid = e.extnamespace
        UNION ALL
        SELECT 'Table', r.nspname, r.relname, NULL, concat_ws(' ',
                CASE r.relpersistence WHEN 'u' THEN 'UNLOGGED' END,
                CASE r.relkind WHEN 'p' THEN 'PARTITION BY ' || pg_get_partkeydef(r.oid) WHEN 'f' THEN 'FOREIGN' END,
                (SELECT 'PARTITION OF ' || quote_ident(pn.nspname) || '.' || quote_ident(pc.relname) || ' ' || pg_get_expr(c.relpartbound, c.oid)
                 FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhrelid = r.oid AND r.relispartition))
        FROM rel r WHERE r.relkind IN ('r', 'p', 'f')
        UNION ALL
        -- Row-level security switched off by hand opens every row: drift. Its own kind, so a table's text is as before.
        SELECT 'RowSecurity', r.nspname, r.relname, r.relname,
               concat_ws(', ', CASE WHEN r.relrowsecurity THEN 'ENABLED' END, CASE WHEN r.relforcerowsecurity THEN 'FORCED' END)
        FROM rel r WHERE r.relkind IN ('r', 'p') AND (r.relrowsecurity OR r.relforcerowsecurity)
        UNION ALL
        SELECT 'Column', r.nspname, quote_ident(r.relname) || '.' || quote_ident(a.attname), r.relname, concat_ws(' ',
                '#' || row_number() OVER (PARTITION BY r.oid ORDER BY a.attnum),
                format_type(a.atttypid, a.atttypmod),
                CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN 'COLLATE ' || (SELECT quote_ident(collname) FROM pg_collation WHERE oid = a.attcollation) END,
                CASE WHEN a.attnotnull THEN 'NOT NULL' END,
                CASE WHEN a.attgenerated = 's' THEN 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                     WHEN d.adbin IS NOT NULL THEN 'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END,
                CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END)
        FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid JOIN pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE r.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT 'Constraint', r.nspname, quote_ident(r.relname) || '.' || quote_ident(con.conname), r.relname, pg_get_constraintdef(con.oid, true)
        FROM pg_constraint con JOIN rel r ON r.oid = con.conrelid
        UNION ALL
        SELECT 'Index', r.nspname, ic.relname, r.relname, pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
        FROM pg_index i JOIN rel r ON r.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
        UNION ALL
        SELECT CASE r.relkind WHEN 'v' THEN 'View' ELSE 'MaterializedView' END, r.nspname, r.relname, NULL, pg_get_viewdef(r.oid, true)
        FROM rel r WHERE r.relkind IN ('v', 'm')
        UNION ALL
        SELECT CASE p.prokind WHEN 'p' THEN 'Procedure' WHEN 'a' THEN 'Aggregate' ELSE 'Function' END, s.nspname,
               quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', NULL,
               CASE WHEN p.prokind = 'a' THEN 'RETURNS ' || pg_get_function_result(p.oid) ELSE pg_get_functiondef(p.oid) END
        FROM pg_proc p JOIN s ON s.oid = p.pronamespace WHERE p.oid NOT IN (SELECT objid FROM ext)
        UNION ALL
        SELECT 'Trigger', r.nspname, quote_ident(r.relname) || '.' || quote_ident(tg.tgname), r.relname,
               pg_get_triggerdef(tg.oid, true) || CASE tg.tgenabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLE REPLICA' WHEN 'A' THEN ' ENABLE ALWAYS' ELSE '' END
        FROM pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal
        UNION ALL
        SELECT 'Policy', r.nspname, quote_ident(r.relname) || '.' || quote_ident(pol.polname), r.relname, concat_ws(' ',
                CASE WHEN NOT pol.polpermissive THEN 'AS RESTRICTIVE' END,
                'FOR ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                'TO ' || (SELECT string_agg(n, ', ' ORDER BY n) FROM (SELECT CASE WHEN o = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(o)) END AS n FROM unnest(pol.polroles) o) x),
                'USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', 'WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')')
        FROM pg_policy pol JOIN rel r ON r.oid = pol.polrelid
        UNION ALL
        -- Only what differs from PostgreSQL's defaults: every function's EXECUTE for PUBLIC is not news, its REVOKE is.
        SELECT 'Privileges', nspname, name, tbl, coalesce(now, 'no grants beyond the owner''s') FROM granted WHERE now IS DISTINCT FROM dflt
        UNION ALL
        SELECT 'Sequence', r.nspname, r.relname, NULL, concat_ws(' ', format_type(q.seqtypid, NULL), 'START', q.seqstart, 'INCREMENT', q.seqincrement,
               'MINVALUE', q.seqmin, 'MAXVALUE', q.seqmax, 'CACHE', q.seqcache, CASE WHEN q.seqcycle THEN 'CYCLE' END)
        FROM pg_sequence q JOIN rel r ON r.oid = q.seqrelid
        UNION ALL
        SELECT 'Enum', s.nspname, t.typname, NULL, (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
        FROM pg_type t JOIN s ON s.oid = t.typnamespace WHERE t.typtype = 'e' AND t.oid NOT IN (SELECT objid FROM ext)
        UNION ALL
        SELECT 'Domain', s.nspname, t.typname, NULL, concat_ws(' ', format_type(t.typbasetype, t.typtypmod), CASE WHEN t.typnotnull THEN 'NOT NULL' END,
               'DEFAULT ' || t.typdefault, (SELECT string_agg(pg_get_constraintdef(c.oid, true), ' ' ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid))
        FROM pg_type t JOIN s ON s.oid = t.typnamespace WHERE t.typtype = 'd' AND t.oid NOT IN (SELECT objid FROM ext)
        UNION ALL
        SELECT 'Type', s.nspname, t.typname, NULL, CASE t.typtype
                WHEN 'r' THEN 'RANGE (' || (SELECT format_type(g.rngsubtype, NULL) FROM pg_range g WHERE g.rngtypid = t.oid) || ')'
                ELSE '(' || coalesce((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                             FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')' END
        FROM pg_type t JOIN s ON s.oid = t.typnamespace
        WHERE t.oid NOT IN (SELECT objid FROM ext)
          AND (t.typtype = 'r' OR t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
        """;

    /// <summary>The tables whose rows are counted (not foreign tables: counting them reads another server).</summary>
    public const string Tables = """
        SELECT n.nspname, c.relname, c.reltuples::bigint
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT (n.nspname || '.' || c.relname = ANY($2))
          AND c.oid NOT IN (SELECT objid FROM pg_depend WHERE deptype = 'e')
        ORDER BY 1, 2
        """;
}
