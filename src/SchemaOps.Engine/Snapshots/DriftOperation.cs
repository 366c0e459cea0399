using System.Text.RegularExpressions;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Rehearsal;

namespace SchemaOps.Engine.Snapshots;

/// <param name="IgnoreObjects">Objects a team manages by hand: wildcard patterns (* and ?) matched against an object's
/// name (schema.name, a column as schema.table.column) and against Kind:name (Index:public.tmp_*); null: the config's driftIgnore.</param>
/// <param name="PgBinDirectory">PostgreSQL's binaries for the throwaway server; null: found as usual.</param>
public sealed record DriftOptions(IReadOnlyList<string>? IgnoreObjects = null, string? PgBinDirectory = null);

/// <summary>
/// Test-SchemaDrift / `schemaops drift`: is the live database still what its applied migrations built? They are
/// replayed on a throwaway PostgreSQL up to the live database's applied version, with the same settings
/// (placeholders, schemas, history table), both are snapshotted and compared. One difference per object: Added (the
/// live database has it, the migrations did not make it), Removed (made, and gone), Changed (defined otherwise).
/// History tables are left out (their rows say when, not what), and so are row counts. Nothing on the live database
/// changes: it is only read.
/// </summary>
public static class DriftOperation
{
    private const int ProgressId = 50;

    public static async Task<List<SchemaDifference>> CheckAsync(MigrationRequest request, DriftOptions options, IOperationSink sink, CancellationToken ct)
    {
        var ignore = (options.IgnoreObjects ?? request.Settings.DriftIgnore).Select(Wildcard).ToList(); // the parameter, else the config's driftIgnore
        var set = request.Scanned ?? MigrationRequest.Scan(request.Settings, sink); // the files first: bad input is reported before a server starts
        var history = request.Settings.Table ?? HistoryStore.DefaultTable(set.Layout);

        sink.WriteProgress(new ProgressRecordInfo(ProgressId, "Drift check", $"reading {request.Target.Display}", 0));
        var live = await SnapshotOperation.TakeAsync(request with { Scanned = set }, RowCountMode.None, NullSink.Instance, ct).ConfigureAwait(false);
        var liveMajor = int.TryParse(live.ServerVersion.Split('.', ' ')[0], out var major) ? major : 0;

        sink.WriteProgress(new ProgressRecordInfo(ProgressId, "Drift check", "starting a throwaway PostgreSQL", 20));
        var server = await EphemeralPostgres.StartAsync(new EphemeralOptions(options.PgBinDirectory), ct).ConfigureAwait(false);
        await using var serverScope = server.ConfigureAwait(false);
        if (server.MajorVersion != liveMajor)
            sink.WriteWarning($"{request.Target.Display} runs PostgreSQL {liveMajor}, the throwaway server {server.MajorVersion} ({server.Installation.BinDirectory}): " +
                              $"definitions may be printed differently; point -PgBinPath / --pg-bin at PostgreSQL {liveMajor}'s binaries");
        var database = await server.CreateDatabaseAsync("drift", ct).ConfigureAwait(false);
        var replay = new MigrationRequest(ConnectionTarget.Parse(server.ConnectionString(database)),
            request.Settings with { Target = live.MigrationVersion?.Text, Production = false, OutOfOrder = true, InitSql = null }) { Scanned = set };
        if (live.MigrationVersion is { } version)
        {
            sink.WriteProgress(new ProgressRecordInfo(ProgressId, "Drift check", $"replaying the migrations up to {version.Text}", 40));
            var replayed = 0;
            var replaying = new ConfirmedSink(sink);
            await MissingRoles.RunAsync(replay.Target, new HashSet<string>(StringComparer.Ordinal), async () =>
            {
                replayed += replaying.Results.Count(r => r.Outcome == MigrationOutcome.Applied); // before a stop at a missing role
                replaying = new ConfirmedSink(sink);
                await MigrateOperation.MigrateAsync(replay, replaying, ct).ConfigureAwait(false);
            }, retryable: () => replaying.Results.All(r => r.Outcome != MigrationOutcome.Failed || r.InTransaction), sink, ct).ConfigureAwait(false);
            replayed += replaying.Results.Count;
            sink.WriteVerbose($"replayed {replayed} migration(s) up to version {version.Text} on a throwaway PostgreSQL {server.MajorVersion}");
        }
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, "Drift check", "comparing", 80));
        var built = await SnapshotOperation.TakeAsync(replay, RowCountMode.None, NullSink.Instance, ct).ConfigureAwait(false);
        sink.WriteProgress(new ProgressRecordInfo(ProgressId, "Drift check", "done", 100, Completed: true));

        bool IsHistory(SchemaDifference d) => d.Name == history || d.Name.StartsWith(history + ".", StringComparison.Ordinal) || d.Name.StartsWith(history + "_", StringComparison.Ordinal);
        bool Ignored(SchemaDifference d) => ignore.Any(p => p.IsMatch($"{d.Schema}.{d.Name}") || p.IsMatch($"{d.Kind}:{d.Schema}.{d.Name}"));
        var drift = SnapshotComparer.Compare(built, live)
            .Where(d => d.Kind is not (SchemaObjectKind.RowCount or SchemaObjectKind.Migration) && !IsHistory(d) && !Ignored(d))
            .ToList();
        foreach (var d in drift) sink.WriteObject(d);
        return drift;
    }

    private static Regex Wildcard(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
