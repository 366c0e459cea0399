using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Lint;

/// <summary>What a rule knows about the script a statement is in, and the migration set around it.</summary>
internal sealed class LintContext
{
    /// <summary>SchemaOps will run the script inside a transaction (its .sql.conf, or no statement that refuses one).</summary>
    public required bool InTransaction { get; init; }
    /// <summary>Something else wraps it in a transaction anyway: its own BEGIN ... COMMIT, dbmate without transaction:false, or group mode.</summary>
    public string? ForcedTransaction { get; init; }
    public int PostgresMajor { get; init; } = 15;
    /// <summary>An undo (down) script: it is meant to drop what its migration created.</summary>
    public bool IsUndo { get; init; }
    /// <summary>Tables created by earlier migrations of the set, and so far in this script: new and empty, so their locks hurt nobody.</summary>
    public HashSet<string> NewTables { get; } = new(StringComparer.Ordinal);

    public bool IsNew(string? table) => table is not null && NewTables.Contains(table);
}

/// <summary>Where a rule fires: the token it points at, what is wrong, and the safe rewrite if there is one.</summary>
internal readonly record struct Hit(int TokenIndex, string Message, string? Suggestion = null);

/// <param name="OptIn">Off unless the rules file turns it on (as squawk's --include).</param>
internal sealed record LintRule(string Id, LintSeverity Severity, string Summary, Func<LintStatement, LintContext, IEnumerable<Hit>> Check, bool OptIn = false);

/// <summary>
/// The statement rules, in one table. squawk's ids where the meaning is the same (so existing
/// `-- squawk-ignore` comments keep working); they look only at keywords outside comments and strings,
/// and skip tables the set creates (a new, empty table locks nobody out).
/// </summary>
internal static class LintRules
{
    private static readonly string[] VolatileFunctions = ["RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V4", "UUID_GENERATE_V1", "CLOCK_TIMESTAMP", "TIMEOFDAY", "NEXTVAL", "TXID_CURRENT"];

    private static IEnumerable<Hit> When(bool condition, int at, string message, string? suggestion = null)
    {
        if (condition) yield return new Hit(Math.Max(0, at), message, suggestion);
    }

    private static bool CreatesIndex(LintStatement s) => s.Starts("CREATE", "INDEX") || s.Starts("CREATE", "UNIQUE", "INDEX");

    /// <summary>A hit on each column of the statement declared with one of the types.</summary>
    private static IEnumerable<Hit> ColumnsOfType(LintStatement s, Func<LintStatement, int, bool> isType, string message, string suggestion) =>
        s.ColumnTypes().Where(i => isType(s, i)).Select(i => new Hit(i, message, suggestion));

    private static bool IsAny(LintStatement s, int i, params string[] types) => types.Contains(s.TypeNameAt(i));

    // Type choices do not endanger a deployment, so they are info; squawk's ids keep its ignore comments working.
    private const string IntegerAdvice = "bigint (bigint GENERATED ALWAYS AS IDENTITY for keys): changing the type later rewrites the table";

    public static readonly LintRule[] All =
    [
        new("require-concurrent-index-creation", LintSeverity.Warning, "CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds",
            (s, c) => When(CreatesIndex(s) && !s.Has("CONCURRENTLY") && !c.IsNew(s.Table), 0,
                $"CREATE INDEX on {s.Table} blocks every write to it until the index is built",
                "CREATE INDEX CONCURRENTLY ... (SchemaOps then runs the script outside a transaction; keep it alone in its migration)")),
        new("require-concurrent-index-deletion", LintSeverity.Warning, "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table",
            (s, c) => When(s.Starts("DROP", "INDEX") && !s.Has("CONCURRENTLY"), 0, "DROP INDEX locks the table against reads and writes", "DROP INDEX CONCURRENTLY IF EXISTS ...")),
        new("ban-concurrent-index-creation-in-transaction", LintSeverity.Error, "CONCURRENTLY cannot run inside a transaction block",
            (s, c) => When(s.Has("CONCURRENTLY") && c.ForcedTransaction is not null, s.Find(0, "CONCURRENTLY"),
                $"CONCURRENTLY fails inside a transaction, and {c.ForcedTransaction}", "give the statement a migration of its own that runs without a transaction")),
        new("adding-field-with-default", LintSeverity.Warning, "ADD COLUMN with a volatile default (any default before PostgreSQL 11) rewrites the table",
            (s, c) =>
            {
                var add = s.Find(0, "ADD");
                var def = s.Find(add, "DEFAULT");
                var isVolatile = def >= 0 && s.Tokens.Skip(def + 1).TakeWhile(t => t.Upper is not ("," or "NOT" or "NULL" or "CONSTRAINT")).Any(t => VolatileFunctions.Contains(t.Upper));
                return When(s.Starts("ALTER", "TABLE") && add >= 0 && def >= 0 && !c.IsNew(s.Table) && (isVolatile || c.PostgresMajor < 11), def,
                    $"this default rewrites every row of {s.Table} under an ACCESS EXCLUSIVE lock",
                    "add the column without a default, set the default, then backfill in batches");
            }),
        new("adding-required-field", LintSeverity.Error, "a NOT NULL column without a default fails on a table that has rows",
            (s, c) =>
            {
                var add = s.Find(0, "ADD");
                return When(s.Starts("ALTER", "TABLE") && add >= 0 && s.Find(add, "NOT", "NULL") >= 0 && s.Find(add, "DEFAULT") < 0 && !s.Has("GENERATED") && !c.IsNew(s.Table),
                    s.Find(add, "NOT", "NULL"), $"ADD COLUMN ... NOT NULL without a default fails as soon as {s.Table} has a row", "add it with a DEFAULT, or nullable first and backfill");
            }),
        new("adding-not-nullable-field", LintSeverity.Warning, "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("SET", "NOT", "NULL") && !c.IsNew(s.Table), s.Find(0, "SET", "NOT", "NULL"),
                $"SET NOT NULL scans all of {s.Table} while it blocks reads and writes",
                "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL (it uses the valid check) and drop c")),
        new("adding-foreign-key-constraint", LintSeverity.Warning, "a foreign key added without NOT VALID locks both tables while it scans",
            (s, c) => When(s.Starts("ALTER", "TABLE") && (s.Has("FOREIGN", "KEY") || s.Has("REFERENCES")) && !s.Has("NOT", "VALID") && !c.IsNew(s.Table),
                Math.Max(s.Find(0, "FOREIGN"), s.Find(0, "REFERENCES")), $"the foreign key is checked against every row of {s.Table} while both tables are locked",
                "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID; then, in another migration, ALTER TABLE ... VALIDATE CONSTRAINT ...")),
        new("constraint-missing-not-valid", LintSeverity.Warning, "a constraint added without NOT VALID is checked against every row under a lock",
            (s, c) =>
            {
                // A table constraint (not one written inline in ADD COLUMN), as squawk reads it.
                var add = s.Find(0, "ADD", "CONSTRAINT") is var named and >= 0 ? named : Math.Max(s.Find(0, "ADD", "CHECK"), Math.Max(s.Find(0, "ADD", "FOREIGN"), s.Find(0, "ADD", "UNIQUE")));
                var kind = add < 0 ? -1 : new[] { s.Find(add, "CHECK"), s.Find(add, "FOREIGN", "KEY"), s.Find(add, "UNIQUE") }.Where(i => i >= 0).DefaultIfEmpty(-1).Min();
                return When(s.Starts("ALTER", "TABLE") && kind >= 0 && !s.Has("NOT", "VALID") && !s.Has("USING", "INDEX") && !c.IsNew(s.Table), kind,
                    $"the constraint is verified against every row of {s.Table} under a lock",
                    kind >= 0 && s.Tokens[kind].Upper == "UNIQUE" ? "CREATE UNIQUE INDEX CONCURRENTLY i ON ...; then ADD CONSTRAINT ... UNIQUE USING INDEX i"
                        : "ADD CONSTRAINT ... NOT VALID; then VALIDATE CONSTRAINT in another migration");
            }),
        new("disallowed-unique-constraint", LintSeverity.Warning, "ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("ADD") && s.Has("UNIQUE") && !s.Has("USING", "INDEX") && !c.IsNew(s.Table),
                s.Find(0, "UNIQUE"), $"the constraint's index is built while {s.Table} is locked",
                "CREATE UNIQUE INDEX CONCURRENTLY i ON ...; then ADD CONSTRAINT ... UNIQUE USING INDEX i")),
        new("adding-serial-primary-key-field", LintSeverity.Warning, "ADD PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("ADD") && s.Has("PRIMARY", "KEY") && !s.Has("USING", "INDEX") && !c.IsNew(s.Table),
                s.Find(0, "PRIMARY", "KEY"), $"the primary key's index is built while {s.Table} is locked against reads and writes",
                "CREATE UNIQUE INDEX CONCURRENTLY i ON ...; then ADD CONSTRAINT ... PRIMARY KEY USING INDEX i")),
        new("changing-column-type", LintSeverity.Warning, "ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Find(1, "ALTER") >= 0 && s.Has("TYPE") && !c.IsNew(s.Table),
                Math.Max(s.Find(0, "TYPE"), s.Find(0, "SET", "DATA")), $"changing a column's type usually rewrites {s.Table} and its indexes while it is locked",
                "add a new column, backfill in batches, switch readers, drop the old one")),
        new("ban-drop-column", LintSeverity.Warning, "dropping a column breaks clients that still read it",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("DROP", "COLUMN") && !(c.IsUndo && c.IsNew(s.Table)), s.Find(0, "DROP", "COLUMN"), "running application versions that still use this column will fail")),
        new("ban-drop-table", LintSeverity.Warning, "dropping a table breaks clients and loses its data",
            // An undo script dropping what the set created is what undo is for.
            (s, c) => When(s.Starts("DROP", "TABLE") && !(c.IsUndo && c.IsNew(s.NameAfter("DROP", "TABLE"))), 0, "the table and its data are gone; running clients that use it fail")),
        new("ban-drop-database", LintSeverity.Error, "dropping a database in a migration",
            (s, c) => When(s.Starts("DROP", "DATABASE"), 0, "a migration should never drop a database")),
        new("ban-drop-not-null", LintSeverity.Info, "dropping NOT NULL lets clients write what they could not before",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("DROP", "NOT", "NULL"), s.Find(0, "DROP", "NOT", "NULL"), "older application versions may not expect NULLs here")),
        new("renaming-column", LintSeverity.Warning, "renaming a column breaks clients that use the old name",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("RENAME") && !s.Has("RENAME", "TO") && !s.Has("RENAME", "CONSTRAINT") || s.Has("RENAME", "COLUMN"), s.Find(0, "RENAME"),
                "running application versions that use the old name will fail", "add the new column, write both, switch readers, drop the old one")),
        new("renaming-table", LintSeverity.Warning, "renaming a table breaks clients that use the old name",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("RENAME", "TO") && !s.Has("RENAME", "COLUMN"), s.Find(0, "RENAME"),
                "running application versions that use the old name will fail", "create a view with the old name during the switch")),
        new("ban-char-field", LintSeverity.Info, "char(n) pads with spaces and saves nothing over text or varchar",
            (s, c) => s.Tokens.Select((t, i) => (t, i))
                .Where(x => (x.t.Upper is "CHAR" or "CHARACTER") && (x.i + 1 >= s.Tokens.Count || s.Tokens[x.i + 1].Upper != "VARYING") && (s.Starts("CREATE", "TABLE") || s.Starts("ALTER", "TABLE")))
                .Select(x => new Hit(x.i, "char(n) pads values with spaces", "text (with a CHECK on length if needed)"))),
        new("ban-truncate-cascade", LintSeverity.Error, "TRUNCATE ... CASCADE empties every table that references this one",
            (s, c) => When(s.Starts("TRUNCATE") && s.Has("CASCADE"), s.Find(0, "CASCADE"), "CASCADE also empties every table with a foreign key to this one")),
        new("prefer-repack", LintSeverity.Warning, "VACUUM FULL and CLUSTER lock the table against reads and writes while they rewrite it",
            (s, c) => When(s.Starts("VACUUM", "FULL") || s.Starts("CLUSTER") || s.Starts("VACUUM", "(", "FULL"), 0, "the table is unreadable until the rewrite ends", "pg_repack, outside the migration")),
        new("prefer-robust-stmts", LintSeverity.Warning, "a script that runs without a transaction must be re-runnable: IF [NOT] EXISTS",
            (s, c) => When(!c.InTransaction && c.ForcedTransaction is null
                    && (s.Starts("CREATE") && !s.Starts("CREATE", "OR") && !s.Has("IF", "NOT", "EXISTS") || s.Starts("DROP") && !s.Has("IF", "EXISTS")), 0,
                "this script runs without a transaction: if it fails half-way, re-running it fails on what already exists", "CREATE ... IF NOT EXISTS / DROP ... IF EXISTS")),
        new("require-concurrent-partition-detach", LintSeverity.Warning, "DETACH PARTITION without CONCURRENTLY locks the parent table (PostgreSQL 14+)",
            (s, c) => When(s.Starts("ALTER", "TABLE") && s.Has("DETACH", "PARTITION") && !s.Has("CONCURRENTLY") && !s.Has("FINALIZE") && c.PostgresMajor >= 14 && !c.IsNew(s.Table),
                s.Find(0, "DETACH"), $"detaching takes an ACCESS EXCLUSIVE lock on {s.Table}", "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY, in a migration without a transaction")),
        new("require-concurrent-reindex", LintSeverity.Warning, "REINDEX without CONCURRENTLY blocks writes and the index's readers (PostgreSQL 12+)",
            (s, c) => When(s.Starts("REINDEX") && !s.Has("CONCURRENTLY") && !s.Has("SYSTEM") && c.PostgresMajor >= 12, 0,
                "REINDEX locks out writes to the table, and every query that would use the index, until it ends", "REINDEX ... CONCURRENTLY, in a migration without a transaction")),
        new("ban-create-domain-with-constraint", LintSeverity.Warning, "a domain's constraints are re-checked against every column using it when they change",
            (s, c) => When(s.Starts("CREATE", "DOMAIN") && (s.Has("CHECK") || s.Has("NOT", "NULL") || s.Has("CONSTRAINT")),
                new[] { s.Find(0, "CHECK"), s.Find(0, "NOT", "NULL"), s.Find(0, "CONSTRAINT") }.Where(i => i >= 0).DefaultIfEmpty(0).Min(),
                "changing this constraint later scans every table with a column of the domain, under lock", "put the constraint on the table columns (ADD CONSTRAINT ... NOT VALID, then VALIDATE)")),
        new("ban-alter-domain-with-add-constraint", LintSeverity.Warning, "ALTER DOMAIN ADD CONSTRAINT scans every column using the domain under lock",
            (s, c) => When(s.Starts("ALTER", "DOMAIN") && s.Has("ADD"), s.Find(0, "ADD"),
                "every table with a column of this domain is scanned while locked", "put the constraint on the table columns (ADD CONSTRAINT ... NOT VALID, then VALIDATE)")),
        new("ban-duplicate-column-assignments", LintSeverity.Error, "the same column assigned twice in one INSERT or UPDATE",
            (s, c) => s.AssignedColumns().GroupBy(x => x.Name).Where(g => g.Count() > 1).SelectMany(g => g)
                .Select(x => new Hit(x.Index, $"column {x.Name} is assigned more than once (PostgreSQL refuses the statement)"))),
        new("identifier-too-long", LintSeverity.Warning, "a name over 63 bytes is silently truncated by PostgreSQL",
            (s, c) => s.Tokens.Select((t, i) => (t, i))
                .Where(x => s.IdentifierAt(x.i) is { } name && System.Text.Encoding.UTF8.GetByteCount(name) > 63)
                .Select(x => new Hit(x.i, $"{x.t.Text} is longer than 63 bytes: PostgreSQL truncates it, so two long names can collide", "a name of at most 63 bytes"))),
        new("prefer-bigint-over-int", LintSeverity.Info, "a 32-bit integer column can run out of values",
            (s, c) => ColumnsOfType(s, (s, i) => IsAny(s, i, "INT", "INTEGER", "INT4", "SERIAL", "SERIAL4"), "a 32-bit integer runs out at 2,147,483,647", IntegerAdvice)),
        new("prefer-bigint-over-smallint", LintSeverity.Info, "a 16-bit integer column can run out of values",
            (s, c) => ColumnsOfType(s, (s, i) => IsAny(s, i, "SMALLINT", "INT2", "SMALLSERIAL", "SERIAL2"), "a 16-bit integer runs out at 32,767", IntegerAdvice)),
        new("prefer-identity", LintSeverity.Info, "serial columns: identity columns are standard and simpler to own and grant",
            (s, c) => ColumnsOfType(s, (s, i) => IsAny(s, i, "SERIAL", "SERIAL2", "SERIAL4", "SERIAL8", "SMALLSERIAL", "BIGSERIAL"),
                "serial creates a separately owned sequence (grants, dumps and ownership need care)", "bigint GENERATED ALWAYS AS IDENTITY")),
        new("prefer-text-field", LintSeverity.Info, "varchar(n): changing n later takes an ACCESS EXCLUSIVE lock",
            (s, c) => ColumnsOfType(s, (s, i) => (IsAny(s, i, "VARCHAR") || IsAny(s, i, "CHARACTER") && s.Find(i, "CHARACTER", "VARYING") == i) && s.AfterTypeName(i) > i + 1 && s.Tokens[s.AfterTypeName(i) - 1].Upper == ")",
                "a varchar length limit can only be changed under an ACCESS EXCLUSIVE lock", "text, with a CHECK (length(col) <= n) NOT VALID constraint if a limit is needed")),
        new("prefer-timestamp-tz", LintSeverity.Info, "timestamp without time zone drops the UTC offset",
            (s, c) => ColumnsOfType(s, (s, i) => IsAny(s, i, "TIMESTAMP") && s.Find(s.AfterTypeName(i), "WITH", "TIME", "ZONE") != s.AfterTypeName(i),
                "timestamp stores wall-clock time without its offset: times from different zones become ambiguous", "timestamptz")),
        new("require-table-schema", LintSeverity.Warning, "a table named without its schema depends on search_path",
            (s, c) =>
            {
                var at = s.Starts("CREATE", "TABLE") || s.Starts("ALTER", "TABLE") || s.Starts("DROP", "TABLE") ? s.NameIndexAfter("TABLE") : -1;
                return When(at >= 0 && !(at + 1 < s.Tokens.Count && s.Tokens[at + 1].Upper == "."), at,
                    $"{s.Tokens[Math.Max(0, at)].Text} is resolved through search_path, which can differ between sessions and servers", "schema.table (e.g. public.users)");
            }, OptIn: true),
        new("require-enum-value-ordering", LintSeverity.Info, "ADD VALUE without BEFORE/AFTER appends at the end",
            (s, c) => When(s.Starts("ALTER", "TYPE") && s.Has("ADD", "VALUE") && !s.Has("BEFORE") && !s.Has("AFTER"), s.Find(0, "ADD", "VALUE"), "the new value sorts after every existing one", "ADD VALUE 'x' BEFORE 'y' / AFTER 'y'")),
    ];

    /// <summary>Rules that are off unless the rules file turns them on (declared after All: static fields initialize in order).</summary>
    public static readonly HashSet<string> OptInIds = new(All.Where(r => r.OptIn).Select(r => r.Id), StringComparer.Ordinal);
}
