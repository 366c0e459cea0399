using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;

namespace SchemaOps.Engine.Operations;

/// <summary>Creates what the history needs and does not exist yet: managed schemas (recorded by a SCHEMA row) and the table.</summary>
internal static class HistorySetup
{
    /// <summary>What would be created: the missing schemas, and whether the table is missing. Reads only.</summary>
    public static async Task<(List<string> MissingSchemas, bool TableMissing)> InspectAsync(MigrationSession session, MigrationSettings settings, CancellationToken ct)
    {
        var missing = await session.MissingSchemasAsync(ct).ConfigureAwait(false);
        if (missing.Count > 0 && !settings.CreateSchemas)
            throw new SchemaOpsException(ErrorCatalog.SchemaNotFound,
                $"schema(s) {string.Join(", ", missing)} do not exist in {session.Target.Display} and creating schemas is turned off (createSchemas=false): " +
                "nothing was changed; create them first, or let SchemaOps create them (createSchemas=true, Flyway's default)");
        return (missing, missing.Contains(session.History.Name.Schema) || await session.History.NeedsSetupAsync(ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Creates, in one transaction under the history guard's lock, what is still missing when it runs (another runner
    /// behind a pooler may have created it meanwhile), and the baseline row when the table is new.
    /// </summary>
    public static async Task SetUpAsync(MigrationSession session, MigrationSettings settings, HistoryRow? baseline, CancellationToken ct)
    {
        var tx = await session.Connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        await session.Connection.ExecuteAsync(session.Guard.LockSql, ct).ConfigureAwait(false); // the lock only: there may be no history yet to compare
        var inspected = await InspectAsync(session, settings, ct).ConfigureAwait(false);
        await CreateMissingAsync(session, settings, inspected, ct).ConfigureAwait(false);
        if (inspected.TableMissing && baseline is not null) await session.History.RecordAsync(baseline, ct).ConfigureAwait(false);
        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates what <see cref="InspectAsync"/> found missing, inside the caller's transaction, so the table
    /// never exists without its SCHEMA row.
    /// </summary>
    public static async Task CreateMissingAsync(MigrationSession session, MigrationSettings settings, (List<string> MissingSchemas, bool TableMissing) inspected, CancellationToken ct)
    {
        var (missing, tableMissing) = inspected;
        foreach (var schema in missing) await session.Connection.ExecuteAsync($"CREATE SCHEMA {HistoryTableName.Quote(schema)}", ct).ConfigureAwait(false);
        if (!tableMissing) return;
        await session.History.CreateAsync(ct).ConfigureAwait(false);
        if (missing.Count > 0) await session.History.RecordCreatedSchemasAsync(missing, settings.InstalledBy, ct).ConfigureAwait(false);
    }
}
