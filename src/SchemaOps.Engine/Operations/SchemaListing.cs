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
            var connection = target.CreateConnection();
            await using var connectionScope = connection.ConfigureAwait(false);
            await connection.OpenAsync(limit.Token).ConfigureAwait(false);
            var cmd = new NpgsqlCommand(
                "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY nspname", connection);
            await using var cmdScope = cmd.ConfigureAwait(false);
            var names = new List<string>();
            var r = await cmd.ExecuteReaderAsync(limit.Token).ConfigureAwait(false);
            await using var rScope = r.ConfigureAwait(false);
            while (await r.ReadAsync(limit.Token).ConfigureAwait(false)) names.Add(r.GetString(0));
            return names;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or SchemaOpsException)
        {
            return []; // completion offers nothing rather than failing the prompt
        }
    }
}
