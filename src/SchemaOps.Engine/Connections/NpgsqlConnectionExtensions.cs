using Npgsql;

namespace SchemaOps.Engine.Connections;

/// <summary>One-line SQL helpers for parameterless statements the engine itself issues.</summary>
internal static class NpgsqlConnectionExtensions
{
    public static async Task<object?> ScalarAsync(this NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    public static async Task ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> StringsAsync(this NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<string>();
        while (await r.ReadAsync(ct)) list.Add(r.GetString(0));
        return list;
    }
}
