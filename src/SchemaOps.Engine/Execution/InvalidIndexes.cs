using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Execution;

/// <summary>
/// The INVALID index a failed or canceled CREATE INDEX CONCURRENTLY leaves behind. It enforces nothing (a UNIQUE one
/// lets duplicates in) and no query uses it, yet it holds the name: run again, CREATE INDEX ... IF NOT EXISTS (the
/// robust form the linter asks non-transactional scripts for) passes over it with only a notice, and the migration
/// would be recorded as applied without its index. So a migration stops there instead, and a failed index build says
/// what it left and how to clear it.
/// </summary>
internal static class InvalidIndexes
{
    /// <summary>A CREATE [UNIQUE] INDEX: the index's name (null when PostgreSQL makes one up), its table as written, and its options.</summary>
    internal sealed record IndexCreation(string? Name, string Table, bool IfNotExists, bool Concurrently);

    /// <summary>The statement as an index creation, or null for any other statement.</summary>
    internal static IndexCreation? Read(SqlStatement statement, string script)
    {
        if (!statement.StartsWith("CREATE", "INDEX") && !statement.StartsWith("CREATE", "UNIQUE", "INDEX")) return null;
        var tokens = statement.Tokens.Where(t => !t.IsComment).ToList();
        bool Is(int i, string word) => i < tokens.Count && tokens[i].Kind == SqlTokenKind.Word && tokens[i].TextIn(script).Equals(word, StringComparison.OrdinalIgnoreCase);
        bool IsName(int i) => i < tokens.Count && tokens[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;
        var at = Is(1, "UNIQUE") ? 3 : 2;
        var concurrently = Is(at, "CONCURRENTLY");
        if (concurrently) at++;
        var ifNotExists = Is(at, "IF") && Is(at + 1, "NOT") && Is(at + 2, "EXISTS");
        if (ifNotExists) at += 3;
        string? name = null;
        if (!Is(at, "ON") && IsName(at))
        {
            var token = tokens[at].TextIn(script);
            name = tokens[at].Kind == SqlTokenKind.QuotedIdentifier ? token[1..^1].Replace("\"\"", "\"") : token.ToLowerInvariant();
            at++;
        }
        if (!Is(at, "ON")) return null;
        at++;
        if (Is(at, "ONLY")) at++;
        // The table as written (app."Orders"): the server resolves it as the statement will, on the same search path.
        var table = "";
        while (IsName(at))
        {
            table += tokens[at].TextIn(script);
            if (at + 2 < tokens.Count && tokens[at + 1].TextIn(script) == "." && IsName(at + 2))
            {
                table += ".";
                at += 2;
            }
            else break;
        }
        return table.Length == 0 ? null : new IndexCreation(name, table, ifNotExists, concurrently);
    }

    /// <summary>
    /// The INVALID indexes on the creation's table (only the one of its name, when it names one), schema-qualified.
    /// None when the table does not exist yet, or the question cannot be asked: the statement then speaks for itself.
    /// </summary>
    internal static async Task<List<string>> OnTableAsync(NpgsqlConnection connection, IndexCreation creation, CancellationToken ct)
    {
        try
        {
            return await connection.StringsAsync(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_index i " +
                "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
                $"WHERE NOT i.indisvalid AND i.indrelid = pg_catalog.to_regclass({SqlLiteral.Of(creation.Table)})" +
                (creation.Name is { } name ? $" AND c.relname = {SqlLiteral.Of(name)}" : "") + " ORDER BY 1", ct).ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            return [];
        }
    }

    /// <summary>Every INVALID index in the database, schema-qualified, with its table: what health and repair report.</summary>
    internal static async Task<List<(string Index, string Table)>> InDatabaseAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(
            "SELECT format('%I.%I', n.nspname, ic.relname), i.indrelid::regclass::text FROM pg_catalog.pg_index i " +
            "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace WHERE NOT i.indisvalid ORDER BY 1", connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        var found = new List<(string, string)>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) found.Add((r.GetString(0), r.GetString(1)));
        return found;
    }

    /// <summary>How to clear them, for an error message.</summary>
    internal static string DropAdvice(IReadOnlyList<string> invalid) =>
        $"drop {(invalid.Count == 1 ? "it" : "them")} ({string.Join("; ", invalid.Select(i => $"DROP INDEX CONCURRENTLY {i}"))})";
}
