using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Lint;
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

    /// <summary>The statement as an index creation, or null for any other statement (read as the lint rules read it).</summary>
    internal static IndexCreation? Read(SqlStatement statement, string script)
    {
        if (!statement.StartsWith("CREATE", "INDEX") && !statement.StartsWith("CREATE", "UNIQUE", "INDEX")) return null;
        var s = new LintStatement(statement, script);
        string Upper(int i) => i < s.Tokens.Count ? s.Tokens[i].Upper : "";
        var at = s.Find(0, "INDEX") + 1;
        var concurrently = Upper(at) == "CONCURRENTLY";
        if (concurrently) at++;
        var ifNotExists = s.Find(at, "IF", "NOT", "EXISTS") == at;
        if (ifNotExists) at += 3;
        var name = at < s.Tokens.Count && Upper(at) != "ON" ? s.NameAt(at++) : null;
        if (Upper(at) != "ON") return null;
        at += Upper(at + 1) == "ONLY" ? 2 : 1;
        // The table as written (app."Orders"), name and '.' in turn: the server resolves it as the statement will, on the same search path.
        var table = string.Concat(s.Tokens.Skip(at)
            .TakeWhile((t, k) => k % 2 == 0 ? t.Token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier : t.Upper == ".")
            .Select(t => t.Text));
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
