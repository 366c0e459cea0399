using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// dbmate up's first step, asked for with --create / -CreateDatabase: the target database is created when the server
/// does not have it, over the server's maintenance database (postgres), as dbmate creates it. A container's or CI job's
/// fresh server then needs no separate createdb.
/// </summary>
internal static class DatabaseCreation
{
    /// <summary>Creates the database if it is missing; false when that was declined (-WhatIf, -Confirm): nothing can be planned then.</summary>
    public static Task<bool> EnsureAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var target = request.Target;
        return request.GuardAsync("creating the database", async () =>
        {
            var connection = await target.WithDatabase("postgres").OpenAsync("looking for the database", sink, ct).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var find = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1)", connection) { Parameters = { new() { Value = target.Database } } };
            await using var findScope = find.ConfigureAwait(false);
            if ((bool)(await find.ExecuteScalarAsync(ct).ConfigureAwait(false))!) return true;
            if (!sink.ShouldProcess(target.Display, "Create the database (it does not exist yet)")) return false;
            try
            {
                await connection.ExecuteAsync($"CREATE DATABASE {HistoryTableName.Quote(target.Database)}", ct).ConfigureAwait(false);
                sink.WriteVerbose($"created the database {target.Database} on {target.Server}");
            }
            // Two creating at once: the later one fails on the catalog's unique index (23505), not always with 42P04.
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase
                                              || e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "pg_database_datname_index")
            {
                sink.WriteVerbose($"the database {target.Database} was created by another runner meanwhile");
            }
            return true;
        });
    }
}
