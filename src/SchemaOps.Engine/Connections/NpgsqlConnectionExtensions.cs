using Npgsql;

namespace SchemaOps.Engine.Connections;

/// <summary>One-line SQL helpers for parameterless statements the engine itself issues.</summary>
internal static class NpgsqlConnectionExtensions
{
    public static async Task<object?> ScalarAsync(this NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>The server process running this statement (a pooler may run the next one elsewhere).</summary>
    public static async Task<int> BackendPidAsync(this NpgsqlConnection connection, CancellationToken ct) =>
        (int)(await connection.ScalarAsync("SELECT pg_backend_pid()", ct).ConfigureAwait(false))!;

    public static async Task ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> StringsAsync(this NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        var list = new List<string>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(r.GetString(0));
        return list;
    }
}
