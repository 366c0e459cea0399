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
                ReadOnlyState => ErrorCatalog.ReadOnlyServer,
                ['0', '8', ..] => ErrorCatalog.ConnectionFailed, // connection exceptions: a pooler refusing a startup parameter, among others
                _ => ErrorCatalog.DatabaseError,
            };
            return new SchemaOpsException(kind, $"{doing} on {target.Display} failed: {pg.SqlState}: {pg.MessageText}{ReadOnlyHint(pg, target.Display)}{StartupParameterHint(pg)}",
                inner: e, target: target.Display);
        }
        if (e is OperationCanceledException)
            return new SchemaOpsException(ErrorCatalog.OperationCanceled, $"{doing} on {target.Display} was canceled", inner: e, target: target.Display);
        if (e is NpgsqlException or SocketException or TimeoutException or IOException)
            return new SchemaOpsException(ErrorCatalog.ConnectionFailed,
                $"{doing} on {target.Display} failed: {TlsProblem(e) ?? RootMessage(e)}", inner: e, target: target.Display);
        return new SchemaOpsException(ErrorCatalog.UnexpectedError, $"{doing} on {target.Display} failed: {e.Message}", inner: e, target: target.Display);
    }

    /// <summary>read_only_sql_transaction: a write sent to a server that takes none.</summary>
    public const string ReadOnlyState = "25006";

    /// <summary>
    /// Why a write was refused and the way out, for <see cref="ReadOnlyState"/>: with an HA pair in the URL, the first host
    /// that answers may be the standby.
    /// </summary>
    public static string ReadOnlyHint(PostgresException e, string server) => e.SqlState != ReadOnlyState ? ""
        : $". {server} takes no changes: it is a standby (in recovery), or default_transaction_read_only is on. Nothing was changed. " +
          "Migrate the primary: name it, or with several hosts add target_session_attrs=read-write (a postgres:// URL) or targetServerType=primary (a JDBC URL)";

    /// <summary>
    /// PgBouncer (before 1.20, without track_extra_parameters) refuses any startup parameter it cannot keep per client,
    /// and a URL's search_path (or a JDBC URL's currentSchema) is sent as one. Adding it to the pooler's
    /// ignore_startup_parameters would drop it silently (the history would be looked for in the wrong schema), so the way
    /// out named is -Schema, which SchemaOps sets inside each transaction behind a pooler.
    /// </summary>
    private static string StartupParameterHint(PostgresException e) =>
        e.SqlState == "08P01" && e.MessageText.StartsWith("unsupported startup parameter", StringComparison.Ordinal)
            ? ". A connection pooler (PgBouncer) refuses that setting at connect. For search_path or currentSchema, name the schema with " +
              "--schema / -Schema instead (SchemaOps sets it in each transaction there) and remove it from the URL"
            : "";

    /// <summary>
    /// What a failed TLS negotiation means and the way out, in libpq's terms (the URL parameters and PG variables every
    /// PostgreSQL client reads), or null when the failure was not TLS. Npgsql says only that its certificate check
    /// "rejected" the certificate, or that "no SSL enabled connection" is configured: managed servers require TLS, so
    /// this is many teams' first error, and the usual cause is a CA certificate not given, or a pooler or proxy in front
    /// of the server that does not speak TLS.
    /// </summary>
    private static string? TlsProblem(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
                return "the server's TLS certificate was not accepted. sslmode=verify-full accepts a certificate " +
                       "signed by a CA trusted here and issued for the host name as written in the URL; verify-ca checks the CA only. " +
                       "Give the CA's certificate with sslrootcert=FILE (or PGSSLROOTCERT, or ~/.postgresql/root.crt) and connect by the name " +
                       "the certificate holds; sslmode=require encrypts without checking who answers";
            if (inner is NpgsqlException && inner.Message.StartsWith("SSL connection requested.", StringComparison.Ordinal))
                return "the server does not offer TLS, and the sslmode asked for (require, verify-ca or verify-full) accepts no " +
                       "unencrypted connection. Check that this is the server meant: a pooler or proxy in front of it may not speak TLS";
        }
        return null;
    }

    // Npgsql's connection messages name host and port, never the password.
    private static string RootMessage(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is not SocketException) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }
}
