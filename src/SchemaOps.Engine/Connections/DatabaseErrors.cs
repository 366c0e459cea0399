using System.Net.Sockets;
using Npgsql;

namespace SchemaOps.Engine.Connections;

/// <summary>Turns driver exceptions into SchemaOps errors with a category and a message that holds no secret.</summary>
public static class DatabaseErrors
{
    public static SchemaOpsException Translate(Exception e, ConnectionTarget target, string doing)
    {
        if (e is SchemaOpsException s) return s;
        if (e is PostgresException pg)
        {
            var kind = pg.SqlState switch
            {
                "28P01" or "28000" => ErrorCatalog.AuthenticationFailed,
                "3D000" => ErrorCatalog.DatabaseNotFound,
                "42501" => ErrorCatalog.PermissionDenied,
                "55P03" => ErrorCatalog.LockTimeout,
                "57014" => ErrorCatalog.StatementCanceled,
                "53300" => ErrorCatalog.TooManyConnections,
                _ => ErrorCatalog.DatabaseError,
            };
            return new SchemaOpsException(kind, $"{doing} on {target.Display} failed: {pg.SqlState}: {pg.MessageText}", inner: e, target: target.Display);
        }
        if (e is OperationCanceledException)
            return new SchemaOpsException(ErrorCatalog.OperationCanceled, $"{doing} on {target.Display} was canceled", inner: e, target: target.Display);
        if (e is NpgsqlException or SocketException or TimeoutException or IOException)
            return new SchemaOpsException(ErrorCatalog.ConnectionFailed,
                $"{doing} on {target.Display} failed: {RootMessage(e)}", inner: e, target: target.Display);
        return new SchemaOpsException(ErrorCatalog.UnexpectedError, $"{doing} on {target.Display} failed: {e.Message}", inner: e, target: target.Display);
    }

    // Npgsql's connection messages name host and port, never the password.
    private static string RootMessage(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not SocketException) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }
}
