using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Rehearsal;

/// <summary>
/// Where a rehearsal runs, and what it removes afterwards: a throwaway server (the default), the staging
/// database given, or a scratch database on its server holding a restored backup (dropped afterwards).
/// </summary>
internal sealed class RehearsalPlace : IAsyncDisposable
{
    private readonly EphemeralPostgres? _server;
    private readonly ScratchDatabase? _scratch;

    private RehearsalPlace(ConnectionTarget target, string display, EphemeralPostgres? server = null, ScratchDatabase? scratch = null)
    {
        Target = target;
        Display = display;
        _server = server;
        _scratch = scratch;
    }

    public ConnectionTarget Target { get; }
    public string Display { get; }

    /// <summary>A throwaway server of ours, where the roles the migrations name may be made (<see cref="MissingRoles"/>); never a staging server.</summary>
    public bool IsThrowaway => _server is not null;

    /// <summary>
    /// A backup restored without its GRANTs (on a throwaway server): what the migrations grant may already be granted on
    /// production, so privileges say nothing about their undo here and are not compared.
    /// </summary>
    public bool LacksBackupPrivileges { get; private init; }

    public static async Task<RehearsalPlace> OpenAsync(RehearsalRequest request, MigrationSettings settings, IOperationSink sink, CancellationToken ct)
    {
        RehearsalPlace place;
        if (request.Target is null)
        {
            var server = await EphemeralPostgres.StartAsync(new EphemeralOptions(request.PgBinDirectory,
                ExpectedDataBytes: request.FromBackup is null ? 0 : EphemeralStorage.SizeOf(request.FromBackup)), ct).ConfigureAwait(false);
            place = new RehearsalPlace(ConnectionTarget.Parse(server.ConnectionString("rehearsal")),
                $"throwaway PostgreSQL {server.MajorVersion} on 127.0.0.1:{server.Port}", server) { LacksBackupPrivileges = request.FromBackup is not null };
            sink.WriteVerbose($"rehearsing on a {place.Display} (removed afterwards)");
        }
        else
        {
            ProductionGuard.DemandConfirmation(new MigrationRequest(request.Target, settings), "rehearse (it undoes and re-applies migrations)");
            if (request.FromBackup is null) return new RehearsalPlace(request.Target, request.Target.Display);
            // A scratch database beside the one named: the backup is restored there, never over the named database.
            var reserved = await ScratchDatabase.ReserveAsync(request.Target, "schemaops_rehearsal_", sink).ConfigureAwait(false);
            var scratch = request.Target.WithDatabase(reserved.Name);
            place = new RehearsalPlace(scratch, $"{scratch.Display} (scratch database, dropped afterwards)", scratch: reserved);
        }
        try
        {
            // The throwaway server's database, and the scratch one, are created by the restore when there is one.
            // A throwaway server has none of the backup's roles: its objects are restored as the superuser's, without grants,
            // and a role a policy names is made there.
            Task RestoreAsync() => RestoreOperation.RestoreAsync(new MigrationRequest(place.Target, settings with { Production = false }), request.FromBackup!,
                new RestoreOptions { CreateDatabase = true, PgBinDirectory = request.PgBinDirectory, WithoutOwnersAndPrivileges = place.IsThrowaway }, new ConfirmedSink(sink), ct);
            if (request.FromBackup is not null && place.IsThrowaway)
                await MissingRoles.RunAsync(place.Target, new HashSet<string>(StringComparer.Ordinal), RestoreAsync, retryable: () => true, sink, ct).ConfigureAwait(false);
            else if (request.FromBackup is not null) await RestoreAsync().ConfigureAwait(false);
            else await place._server!.CreateDatabaseAsync(place.Target.Database, ct).ConfigureAwait(false);
            return place;
        }
        catch
        {
            await place.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        if (_scratch is not null) await _scratch.DisposeAsync().ConfigureAwait(false); // WITH (FORCE): our pooled sessions too
    }
}
