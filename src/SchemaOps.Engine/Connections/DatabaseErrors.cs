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
            var (id, category) = pg.SqlState switch
            {
                "28P01" or "28000" => ("AuthenticationFailed", SchemaOpsErrorCategory.AuthenticationError),
                "3D000" => ("DatabaseNotFound", SchemaOpsErrorCategory.ObjectNotFound),
                "42501" => ("PermissionDenied", SchemaOpsErrorCategory.PermissionDenied),
                "55P03" => ("LockTimeout", SchemaOpsErrorCategory.ResourceBusy),
                "57014" => ("StatementCanceled", SchemaOpsErrorCategory.OperationStopped),
                "53300" => ("TooManyConnections", SchemaOpsErrorCategory.ResourceBusy),
                _ => ("DatabaseError", SchemaOpsErrorCategory.InvalidOperation),
            };
            return new SchemaOpsException(id, category, $"{doing} on {target.Display} failed: {pg.SqlState}: {pg.MessageText}", inner: e, target: target.Display);
        }
        if (e is OperationCanceledException)
            return new SchemaOpsException("OperationCanceled", SchemaOpsErrorCategory.OperationStopped, $"{doing} on {target.Display} was canceled", inner: e, target: target.Display);
        if (e is NpgsqlException or SocketException or TimeoutException or IOException)
            return new SchemaOpsException("ConnectionFailed", SchemaOpsErrorCategory.ConnectionError,
                $"{doing} on {target.Display} failed: {RootMessage(e)}", inner: e, target: target.Display);
        return new SchemaOpsException("UnexpectedError", SchemaOpsErrorCategory.InvalidOperation, $"{doing} on {target.Display} failed: {e.Message}", inner: e, target: target.Display);
    }

    // Npgsql's connection messages name host and port, never the password.
    private static string RootMessage(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not SocketException) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }
}
