using Npgsql;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Engine.Operations;

/// <summary>The user schemas of a database, for tab completion: quick, and never an error.</summary>
public static class SchemaListing
{
    public static async Task<IReadOnlyList<string>> ListAsync(ConnectionTarget target, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await using var connection = target.CreateConnection();
            await connection.OpenAsync(limit.Token);
            await using var cmd = new NpgsqlCommand(
                "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY nspname", connection);
            var names = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync(limit.Token);
            while (await r.ReadAsync(limit.Token)) names.Add(r.GetString(0));
            return names;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or SchemaOpsException)
        {
            return []; // completion offers nothing rather than failing the prompt
        }
    }
}
