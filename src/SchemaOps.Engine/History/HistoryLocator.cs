using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.History;

/// <summary>
/// Decides which history table an operation works with. The layout comes from -Layout, else from the
/// folder's file names, else (an empty or absent folder) from the history table found in the database.
/// A database whose history belongs to another layout than the folder's is refused: applying Flyway files
/// next to dbmate's table would start a second, unrelated history.
/// </summary>
internal static class HistoryLocator
{
    public static async Task<HistoryStore> LocateAsync(NpgsqlConnection connection, ConnectionTarget target, string schema, MigrationSettings settings,
        ScannedMigrations scanned, CancellationToken ct)
    {
        var layout = settings.Layout != MigrationLayout.Auto ? settings.Layout : scanned.Layout;
        HistoryTableName Table(MigrationLayout l) => new(schema, settings.Table ?? HistoryStore.DefaultTable(l));
        // The history tables the database holds under the candidate names (the configured one, or both default
        // names), with the layout each is shaped for; tables of no known shape are not candidates.
        async Task<(HistoryTableName Table, MigrationLayout Shape)?> FirstKnownAsync(IEnumerable<HistoryTableName> candidates)
        {
            foreach (var candidate in candidates.Distinct())
                if (await HistoryStore.ExistsAsync(connection, candidate, ct).ConfigureAwait(false) && await HistoryStore.ShapeOfAsync(connection, candidate, ct).ConfigureAwait(false) is var shape and not MigrationLayout.Auto)
                    return (candidate, shape);
            return null;
        }
        HistoryTableName[] defaults = [Table(MigrationLayout.Flyway), Table(MigrationLayout.Dbmate)];

        if (layout == MigrationLayout.Auto)
        {
            // Nothing local says: the database does.
            layout = await FirstKnownAsync(defaults).ConfigureAwait(false) is { } found ? found.Shape : MigrationLayout.Flyway;
            return HistoryStore.For(layout, connection, Table(layout), scanned.Scripts);
        }

        var store = HistoryStore.For(layout, connection, Table(layout), scanned.Scripts);
        // The layout was only inferred from file names: make sure the database is not kept by another tool.
        if (settings.Layout == MigrationLayout.Auto && settings.Table is null && !await store.ExistsAsync(ct).ConfigureAwait(false)
            && await FirstKnownAsync(defaults.Where(t => t != store.Name)).ConfigureAwait(false) is { } other)
            throw Errors.Refusal(ErrorCatalog.HistoryLayoutMismatch,
                $"the migrations in {string.Join(", ", settings.Locations)} are in the {MigrationLayouts.Name(layout)} layout, but {target.Display} keeps " +
                $"{MigrationLayouts.Name(other.Shape)}'s history in {other.Table}. Point -Path / --path at its {MigrationLayouts.Name(other.Shape)} migrations; " +
                $"or, if {other.Table} belongs to something else, pass -Layout {layout} / --layout {MigrationLayouts.CliName(layout)} to use {store.Name} anyway.");
        return store;
    }

    /// <summary>The other schemas that hold a table named as <paramref name="name"/>'s: where a history may be when it is not where looked.</summary>
    public static Task<List<string>> OtherSchemasHoldingAsync(NpgsqlConnection connection, HistoryTableName name, CancellationToken ct) =>
        connection.StringsAsync(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            $"WHERE c.relname = {Sql.SqlLiteral.Of(name.Table)} AND c.relkind IN ('r', 'p') AND n.nspname <> {Sql.SqlLiteral.Of(name.Schema)} ORDER BY 1", ct);
}
