using SchemaOps.Engine.Connections;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>Where to migrate and how: what every migration operation takes.</summary>
public sealed record MigrationRequest(ConnectionTarget Target, MigrationSettings Settings)
{
    /// <summary>
    /// Reads the migration folders and opens the session: what every operation that works with scripts starts with.
    /// The server is dialled while the folders are read (a password exchange, TLS: a few round trips, ~15 ms beside
    /// the ~100 ms of reading 10,000 files); a script that cannot be read is still the error reported, before anything
    /// is asked of the database, and the connection is closed unused.
    /// </summary>
    internal async Task<MigrationSession> OpenWithScriptsAsync(IOperationSink sink, CancellationToken ct)
    {
        if (Scanned is not null) return await MigrationSession.OpenAsync(Target, Settings, Scanned, sink, ct).ConfigureAwait(false);
        using var scanFailed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var connecting = MigrationSession.Connect(Target, sink, scanFailed.Token);
        ScannedMigrations scanned;
        try
        {
            scanned = Scan(Settings, sink);
        }
        catch
        {
            scanFailed.Cancel(); // connect retries waiting for the server stop too
            try
            {
                await (await connecting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Not connected: the scan's error is the one to report either way.
            }
            throw;
        }
        return await MigrationSession.OpenAsync(connecting, Target, Settings, scanned, sink, ct).ConfigureAwait(false);
    }

    /// <summary>The folders as already read (raw, before placeholders): a rehearsal reads them once for its hundreds of steps.</summary>
    internal ScannedMigrations? Scanned { get; init; }

    internal static ScannedMigrations Scan(MigrationSettings settings, IOperationSink sink) =>
        MigrationLayouts.Scan(settings.Layout, settings.Locations, new ScanOptions(settings.LenientNaming), sink.WriteVerbose, sink.WriteWarning);

    /// <summary>For operations that read no migration (baseline, clean): the layout is the one asked for, or the database's; the folders' callbacks still run.</summary>
    internal Task<MigrationSession> OpenWithoutScriptsAsync(IOperationSink sink, CancellationToken ct) =>
        MigrationSession.OpenAsync(Target, Settings, new(Settings.Layout, []) { Callbacks = CallbackSet.Scan(Settings.Locations, sink.WriteWarning) }, sink, ct);

    internal MigrationVersion? TargetVersion =>
        Settings.Target is null || Settings.Target.Equals("latest", StringComparison.OrdinalIgnoreCase) ? null
        : MigrationVersion.TryParse(Settings.Target, out var v, out var error) ? v
        : throw Errors.Parameter(ErrorCatalog.InvalidTarget, $"target: {error} (or 'latest')", Settings.Target);

    internal IReadOnlyList<IgnorePattern> IgnorePatterns => Settings.IgnoreMigrationPatterns.Select(IgnorePattern.Parse).ToList();

    internal MigrationVersion BaselineVersion =>
        MigrationVersion.TryParse(Settings.BaselineVersion, out var v, out var error) ? v! : throw Errors.Parameter(ErrorCatalog.InvalidBaselineVersion, $"baseline version: {error}", Settings.BaselineVersion);

    /// <summary>Runs a database operation, turning driver errors into SchemaOps errors that name the target and hold no secret.</summary>
    internal async Task<T> GuardAsync<T>(string doing, Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SchemaOpsException)
        {
            throw DatabaseErrors.Translate(e, Target, doing);
        }
    }

    internal static AppliedMigration SyntheticBaseline(MigrationVersion version, string description) =>
        new(1, version.Text, description, HistoryTypes.Baseline, description, null, "", DateTime.Now, 0, true);
}
