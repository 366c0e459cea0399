using SchemaOps.Engine.Lint;

namespace SchemaOps.Engine.Impact;

/// <summary>PostgreSQL's table lock modes, weakest first (the order of its documentation's conflict table).</summary>
public enum LockMode
{
    None,
    AccessShare,
    RowShare,
    RowExclusive,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}

/// <summary>A relation the statement locks, as regclass text (each part quoted as PostgreSQL folds it): a table, or an index whose table is locked.</summary>
public sealed record LockedName(string Name, bool IsIndex = false);

/// <summary>What a statement does to existing tables: the lock, the work, and which tables.</summary>
public sealed record StatementLock(LockMode Mode, string Work, IReadOnlyList<LockedName> Names);

/// <summary>
/// The lock a statement takes and the work it makes the server do, from its kind and options, as PostgreSQL's
/// documentation gives them (ALTER TABLE's sub-commands, CREATE INDEX [CONCURRENTLY], ...), with the version rules
/// that change them: since 11 an ADD COLUMN with a non-volatile default only writes the catalog.
/// </summary>
public static class StatementLocks
{
    public const string Catalog = "catalog only", Scan = "table scan", Rewrite = "table rewrite", Index = "index build",
        Rows = "row writes", Creates = "new object", Drops = "table drop", Truncates = "truncate";

    // Functions whose value differs per row: a default using one is computed for every existing row.
    private static readonly HashSet<string> Volatile = ["RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V4", "UUID_GENERATE_V1", "CLOCK_TIMESTAMP", "TIMEOFDAY", "NEXTVAL", "TXID_CURRENT"];

    public static string Name(LockMode mode) => mode switch
    {
        LockMode.None => "",
        LockMode.AccessShare => "ACCESS SHARE", LockMode.RowShare => "ROW SHARE", LockMode.RowExclusive => "ROW EXCLUSIVE",
        LockMode.ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE", LockMode.Share => "SHARE", LockMode.ShareRowExclusive => "SHARE ROW EXCLUSIVE",
        LockMode.Exclusive => "EXCLUSIVE", _ => "ACCESS EXCLUSIVE",
    };

    /// <summary>pg_locks.mode (AccessShareLock ...) as a mode; None for anything else.</summary>
    public static LockMode FromPgLocks(string mode) => Enum.TryParse<LockMode>(mode.EndsWith("Lock", StringComparison.Ordinal) ? mode[..^4] : mode, out var m) ? m : LockMode.None;

    /// <summary>Whether a lock held in <paramref name="held"/> makes a request for <paramref name="wanted"/> wait (PostgreSQL's conflict table).</summary>
    public static bool Conflicts(LockMode wanted, LockMode held)
    {
        if (wanted == LockMode.None || held == LockMode.None) return false;
        var (a, b) = wanted <= held ? (wanted, held) : (held, wanted); // the table is symmetric
        return a switch
        {
            LockMode.AccessShare => b == LockMode.AccessExclusive,
            LockMode.RowShare => b >= LockMode.Exclusive,
            LockMode.RowExclusive => b >= LockMode.Share,
            LockMode.ShareUpdateExclusive => b >= LockMode.ShareUpdateExclusive,
            LockMode.Share => b != LockMode.Share, // b > Share here, or Share itself (which does not conflict)
            _ => true, // ShareRowExclusive, Exclusive and AccessExclusive conflict with themselves and everything stronger
        };
    }

    /// <summary>
    /// A migration's strongest lock on an existing table and the heaviest work, for the what-if line of migrate
    /// ("ACCESS EXCLUSIVE on orders, table rewrite"); null when it locks no existing table.
    /// </summary>
    internal static string? Summary(IReadOnlyList<Sql.SqlStatement> statements, string text, int postgresMajor)
    {
        var created = new HashSet<string>(StringComparer.Ordinal);
        var locks = new List<StatementLock>();
        foreach (var statement in statements)
        {
            // Every migrate composes this line, so a huge INSERT or seed is not tokenized whole for it: the first tokens
            // give the kind and the table (a NOT VALID past them reads as the heavier work, never the lighter).
            const int Enough = 512;
            var head = statement.Tokens.Count <= Enough ? statement
                : new Sql.SqlStatement(statement.Text, statement.Line, statement.Offset, statement.Tokens.Take(Enough).ToList(), statement.Words);
            var l = OnExisting(new LintStatement(head, text), postgresMajor, created);
            if (l.Mode != LockMode.None) locks.Add(l);
        }
        if (locks.Count == 0) return null;
        var strongest = locks.MaxBy(l => l.Mode)!;
        string[] heaviest = [Rewrite, Index, Scan, Rows, Truncates, Drops, Catalog];
        var work = heaviest.FirstOrDefault(w => locks.Any(l => l.Work == w)) ?? strongest.Work;
        var tables = locks.SelectMany(l => l.Names).Select(n => n.Name.Replace("\"", "")).Distinct().Take(3);
        return $"{Name(strongest.Mode)} on {string.Join(", ", tables)}, {work}";
    }

    /// <summary>
    /// <see cref="Of"/>, for the statements of a run in order: a table created earlier in it (<paramref name="created"/>
    /// gains each one) is new, so nobody waits on it whatever later statements do to it; a lock on nothing but new
    /// tables is no lock.
    /// </summary>
    internal static StatementLock OnExisting(LintStatement s, int postgresMajor, HashSet<string> created)
    {
        static string Bare(string name) => name.Split('.')[^1].Replace("\"", "");
        if (s.Starts("CREATE") && s.Find(0, "TABLE") is >= 1 and <= 3 && RelAfter(s, "TABLE") is { } table) created.Add(Bare(table));
        var l = Of(s, postgresMajor);
        var existing = l.Names.Where(n => !created.Contains(Bare(n.Name))).ToList();
        return existing.Count == 0 && l.Names.Count > 0 ? l with { Mode = LockMode.None, Names = [] } : l with { Names = existing };
    }

    internal static StatementLock Of(LintStatement s, int postgresMajor)
    {
        StatementLock On(LockMode mode, string work, params string?[] names) => new(mode, work, names.OfType<string>().Select(n => new LockedName(n)).ToList());
        var concurrently = s.Has("CONCURRENTLY");

        if (s.Starts("CREATE") && s.Find(0, "INDEX") is >= 1 and <= 2)
            return On(concurrently ? LockMode.ShareUpdateExclusive : LockMode.Share, Index, RelAfter(s, "ON"));
        if (s.Starts("DROP", "INDEX"))
            return new(concurrently ? LockMode.ShareUpdateExclusive : LockMode.AccessExclusive, Catalog, [new LockedName(RelAfter(s, "INDEX")!, IsIndex: true)]);
        if (s.Starts("REINDEX"))
        {
            var isIndex = s.Has("INDEX");
            var name = RelAfter(s, isIndex ? "INDEX" : "TABLE");
            return new(concurrently ? LockMode.ShareUpdateExclusive : LockMode.Share, Index, name is null ? [] : [new LockedName(name, isIndex)]);
        }
        if (s.Starts("DROP", "TABLE")) return On(LockMode.AccessExclusive, Drops, RelAfter(s, "TABLE"));
        if (s.Starts("TRUNCATE")) return On(LockMode.AccessExclusive, Truncates, RelAfter(s, s.Has("TABLE") ? "TABLE" : "TRUNCATE"));
        if (s.Starts("ALTER", "TABLE")) return AlterTable(s, postgresMajor);
        if (s.Starts("CREATE") && s.Has("TRIGGER")) return On(LockMode.ShareRowExclusive, Catalog, RelAfter(s, "ON"));
        if (s.Starts("DROP", "TRIGGER")) return On(LockMode.AccessExclusive, Catalog, RelAfter(s, "ON"));
        if (s.Starts("COMMENT", "ON", "TABLE")) return On(LockMode.ShareUpdateExclusive, Catalog, RelAfter(s, "TABLE"));
        if (s.Starts("COMMENT", "ON", "COLUMN")) return On(LockMode.ShareUpdateExclusive, Catalog, TableOfColumn(s, s.NameIndexAfter("COLUMN")));
        if (s.Starts("UPDATE")) return On(LockMode.RowExclusive, Rows, RelAfter(s, "UPDATE"));
        if (s.Starts("DELETE")) return On(LockMode.RowExclusive, Rows, RelAfter(s, "FROM"));
        if (s.Starts("INSERT")) return On(LockMode.RowExclusive, Rows, RelAfter(s, "INTO"));
        if (s.Starts("VACUUM"))
        {
            var full = s.Has("FULL");
            return On(full ? LockMode.AccessExclusive : LockMode.ShareUpdateExclusive, full ? Rewrite : Scan, LastName(s));
        }
        if (s.Starts("CLUSTER")) return On(LockMode.AccessExclusive, Rewrite, RelAfter(s, "CLUSTER"));
        if (s.Starts("REFRESH", "MATERIALIZED", "VIEW"))
            return On(concurrently ? LockMode.Exclusive : LockMode.AccessExclusive, Rewrite, RelAfter(s, "VIEW"));
        if (s.Starts("LOCK")) return On(ExplicitMode(s), Catalog, RelAfter(s, s.Has("TABLE") ? "TABLE" : "LOCK"));
        if (s.Starts("CREATE") && s.Find(0, "TABLE") is >= 1 and <= 3)
            // New: nobody waits on it. A foreign key it declares locks the referenced table against writes meanwhile.
            return s.Has("REFERENCES") ? On(LockMode.ShareRowExclusive, Creates, RelAfter(s, "REFERENCES")) : On(LockMode.None, Creates);
        return On(LockMode.None, s.Starts("CREATE") ? Creates : Catalog);
    }

    private static StatementLock AlterTable(LintStatement s, int major)
    {
        var table = RelAfter(s, "TABLE");
        var names = new List<LockedName> { new(table ?? "") };
        StatementLock Locks(LockMode mode, string work) => new(mode, work, names); // not Of: that is the whole statement's

        if (s.Has("RENAME")) return Locks(LockMode.AccessExclusive, Catalog);
        if (s.Has("VALIDATE", "CONSTRAINT")) return Locks(LockMode.ShareUpdateExclusive, Scan);
        if (s.Has("SET", "LOGGED") || s.Has("SET", "UNLOGGED") || s.Has("SET", "TABLESPACE") || s.Has("SET", "ACCESS", "METHOD"))
            return Locks(LockMode.AccessExclusive, Rewrite);
        if (s.Has("TYPE") && s.Has("ALTER")) return Locks(LockMode.AccessExclusive, Rewrite); // ALTER [COLUMN] c [SET DATA] TYPE
        if (s.Has("FOREIGN", "KEY") || s.Has("REFERENCES"))
        {
            // Both tables: SHARE ROW EXCLUSIVE (writes wait, reads go on); NOT VALID skips checking the existing rows.
            if (RelAfter(s, "REFERENCES") is { } parent) names.Add(new LockedName(parent));
            return Locks(LockMode.ShareRowExclusive, s.Has("NOT", "VALID") ? Catalog : Scan);
        }
        if (s.Has("ADD") && (s.Has("PRIMARY", "KEY") || s.Has("UNIQUE")) && !s.Has("USING", "INDEX"))
            return Locks(LockMode.AccessExclusive, Index);
        if (s.Has("ADD") && s.Has("CHECK")) return Locks(LockMode.AccessExclusive, s.Has("NOT", "VALID") ? Catalog : Scan);
        if (s.Has("SET", "NOT", "NULL")) return Locks(LockMode.AccessExclusive, Scan); // 12+: no scan when a valid CHECK (c IS NOT NULL) proves it
        if (s.Has("ADD") && !s.Has("CONSTRAINT") && s.Tokens.Count > 3)
        {
            // ADD [COLUMN]: the catalog only, unless every existing row must be written.
            var stored = s.Has("GENERATED") && s.Has("STORED");
            var serial = s.Tokens.Any(t => t.Upper is "SERIAL" or "BIGSERIAL" or "SMALLSERIAL" or "SERIAL4" or "SERIAL8" or "SERIAL2");
            var hasDefault = s.Has("DEFAULT");
            var volatileDefault = hasDefault && s.Tokens.Any(t => Volatile.Contains(t.Upper));
            var rewrites = stored || serial || volatileDefault || hasDefault && major < 11;
            return Locks(LockMode.AccessExclusive, rewrites ? Rewrite : Catalog);
        }
        if (s.Has("SET", "STATISTICS") || s.Has("SET", "(") || s.Has("RESET", "(")) return Locks(LockMode.ShareUpdateExclusive, Catalog);
        if (s.Has("ENABLE") || s.Has("DISABLE")) return Locks(LockMode.ShareRowExclusive, Catalog);
        return Locks(LockMode.AccessExclusive, Catalog); // DROP COLUMN, DROP CONSTRAINT, SET/DROP DEFAULT, DROP NOT NULL, OWNER ...
    }

    private static LockMode ExplicitMode(LintStatement s)
    {
        var i = s.Find(0, "IN");
        if (i < 0) return LockMode.AccessExclusive;
        var words = s.Tokens.Skip(i + 1).TakeWhile(t => t.Upper != "MODE").Select(t => t.Upper);
        return Enum.TryParse<LockMode>(string.Concat(words.Select(w => w[0] + w[1..].ToLowerInvariant())), out var mode) ? mode : LockMode.AccessExclusive;
    }

    /// <summary>The relation named after the keyword sequence (IF [NOT] EXISTS, ONLY and CONCURRENTLY skipped).</summary>
    private static string? RelAfter(LintStatement s, params string[] words)
    {
        var i = s.Find(0, words);
        if (i < 0) return null;
        i += words.Length;
        while (i < s.Tokens.Count && s.Tokens[i].Upper is "IF" or "NOT" or "EXISTS" or "ONLY" or "CONCURRENTLY") i++;
        return Qualified(s, i, dropLast: false);
    }

    /// <summary>The name starting at <paramref name="i"/> as regclass text: "schema"."name", each part as PostgreSQL folds it; <paramref name="dropLast"/>: a column's table.</summary>
    private static string? Qualified(LintStatement s, int i, bool dropLast)
    {
        var parts = new List<string>();
        while (i >= 0 && i < s.Tokens.Count && s.IdentifierAt(i) is { } part)
        {
            parts.Add(s.Tokens[i].Token.Kind == Sql.SqlTokenKind.Word ? part.ToLowerInvariant() : part);
            if (i + 2 < s.Tokens.Count && s.Tokens[i + 1].Upper == ".") i += 2;
            else break;
        }
        if (dropLast && parts.Count > 0) parts.RemoveAt(parts.Count - 1);
        return parts.Count == 0 ? null : string.Join('.', parts.Select(p => "\"" + p.Replace("\"", "\"\"") + "\""));
    }

    /// <summary>COMMENT ON COLUMN [schema.]table.column: the table.</summary>
    private static string? TableOfColumn(LintStatement s, int i) => Qualified(s, i, dropLast: true);

    /// <summary>VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] table.</summary>
    private static string? LastName(LintStatement s)
    {
        var i = 1;
        while (i < s.Tokens.Count && s.Tokens[i].Upper is "FULL" or "FREEZE" or "VERBOSE" or "ANALYZE") i++;
        return Qualified(s, i, dropLast: false);
    }
}
