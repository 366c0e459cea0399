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

        if (layout == MigrationLayout.Auto)
        {
            // Nothing local says: the database does. The configured table, or either default name, in that order.
            layout = MigrationLayout.Flyway;
            foreach (var candidate in new[] { Table(MigrationLayout.Flyway), Table(MigrationLayout.Dbmate) }.Distinct())
                if (await HistoryStore.ExistsAsync(connection, candidate, ct) && await HistoryStore.ShapeOfAsync(connection, candidate, ct) is var shape and not MigrationLayout.Auto)
                {
                    layout = shape;
                    break;
                }
            return HistoryStore.For(layout, connection, Table(layout), scanned.Scripts);
        }

        var store = HistoryStore.For(layout, connection, Table(layout), scanned.Scripts);
        if (settings.Layout == MigrationLayout.Auto && settings.Table is null && !await store.ExistsAsync(ct))
        {
            // The layout was only inferred from file names: make sure the database is not kept by another tool.
            var other = new[] { MigrationLayout.Flyway, MigrationLayout.Dbmate }.Select(Table).Where(t => t != store.Name).Distinct();
            foreach (var candidate in other)
                if (await HistoryStore.ExistsAsync(connection, candidate, ct) && await HistoryStore.ShapeOfAsync(connection, candidate, ct) is var shape and not MigrationLayout.Auto)
                    throw Errors.InvalidOperation("HistoryLayoutMismatch",
                        $"the migrations in {string.Join(", ", settings.Locations)} are in the {MigrationLayouts.Name(layout)} layout, but {target.Display} keeps " +
                        $"{MigrationLayouts.Name(shape)}'s history in {candidate}. Point -Path / --path at its {MigrationLayouts.Name(shape)} migrations; " +
                        $"or, if {candidate} belongs to something else, pass -Layout {layout} / --layout {MigrationLayouts.CliName(layout)} to use {store.Name} anyway.");
        }
        return store;
    }
}
