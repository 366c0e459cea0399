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
}
