using System.Text.RegularExpressions;
using Npgsql;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Engine.Ephemeral;

/// <summary>
/// Roles belong to a server, not to a database or its migrations: a set that grants to the application's roles
/// (GRANT SELECT ... TO app_readonly, ALTER ... OWNER TO app_owner, CREATE POLICY ... TO app_user) failed on every
/// throwaway server with "role ... does not exist", so a typical production set could not be rehearsed or checked for
/// drift. On a throwaway server such a role is made (NOLOGIN, no privilege beyond what the migrations grant it) and
/// the operation runs again: a migration in a transaction was rolled back whole, so running it again is safe. Only
/// the roles the migrations actually name are made, and a set that creates its own roles still does.
/// </summary>
internal static partial class MissingRoles
{
    /// <summary>
    /// Runs <paramref name="operation"/> on the throwaway server <paramref name="server"/>, making each role it stops
    /// at and running it again, while <paramref name="retryable"/> says the failure left nothing half-done. Each role
    /// is made once (<paramref name="made"/>, shared by the operations of one server): a second stop at one is the failure.
    /// </summary>
    public static async Task RunAsync(ConnectionTarget server, ISet<string> made, Func<Task> operation, Func<bool> retryable, IOperationSink sink, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await operation().ConfigureAwait(false);
                return;
            }
            catch (SchemaOpsException e) when (NameIn(e) is { } role && retryable() && made.Add(role))
            {
                var connection = new NpgsqlConnection(server.WithDatabase("postgres").ConnectionString); // roles are the server's: any database will do
                await using var connectionScope = connection.ConfigureAwait(false);
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await connection.ExecuteAsync($"CREATE ROLE {History.HistoryTableName.Quote(role)} NOLOGIN", ct).ConfigureAwait(false);
                sink.WriteVerbose($"made role {role} on the throwaway server (the migrations name it; roles belong to the server, not the migrations); running again");
            }
        }
    }

    /// <summary>The role a failed migration statement (or restore, in psql's words) named and the server does not have; null for any other failure.</summary>
    internal static string? NameIn(SchemaOpsException e) =>
        e.InnerException is PostgresException { SqlState: "42704" } pg && RoleDoesNotExist().Match(pg.MessageText) is { Success: true } m ? m.Groups[1].Value
        : e.Kind == ErrorCatalog.RestoreFailed && RestoreStoppedAtRole().Match(e.Message) is { Success: true } r ? r.Groups[1].Value
        : null;

    [GeneratedRegex("^role \"(.+)\" does not exist$")]
    private static partial Regex RoleDoesNotExist();

    [GeneratedRegex("ERROR:  role \"(.+?)\" does not exist")]
    private static partial Regex RestoreStoppedAtRole();
}
