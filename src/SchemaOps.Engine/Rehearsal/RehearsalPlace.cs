using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Rehearsal;

/// <summary>
/// Where a rehearsal runs, and what it removes afterwards: a throwaway server (the default), the staging
/// database given, or a scratch database on its server holding a restored backup (dropped afterwards).
/// </summary>
internal sealed class RehearsalPlace : IAsyncDisposable
{
    private readonly EphemeralPostgres? _server;
    private readonly ConnectionTarget? _scratchAdmin;
    private readonly string? _scratch;

    private RehearsalPlace(ConnectionTarget target, string display, EphemeralPostgres? server = null, ConnectionTarget? scratchAdmin = null, string? scratch = null)
    {
        Target = target;
        Display = display;
        _server = server;
        _scratchAdmin = scratchAdmin;
        _scratch = scratch;
    }

    public ConnectionTarget Target { get; }
    public string Display { get; }

    public static async Task<RehearsalPlace> OpenAsync(RehearsalRequest request, MigrationSettings settings, IOperationSink sink, CancellationToken ct)
    {
        if (request.Target is null)
        {
            var server = await EphemeralPostgres.StartAsync(new EphemeralOptions(request.PgBinDirectory), ct);
            try
            {
                var database = await server.CreateDatabaseAsync("rehearsal", ct);
                var place = new RehearsalPlace(ConnectionTarget.Parse(server.ConnectionString(database)),
                    $"throwaway PostgreSQL {server.Installation.MajorVersion} on 127.0.0.1:{server.Port}", server);
                sink.WriteVerbose($"rehearsing on a {place.Display} (removed afterwards)");
                if (request.FromBackup is not null) await RestoreAsync(request, place.Target, settings, sink, ct);
                return place;
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        ProductionGuard.DemandConfirmation(new MigrationRequest(request.Target, settings), "rehearse (it undoes and re-applies migrations)");
        if (request.FromBackup is null) return new RehearsalPlace(request.Target, request.Target.Display);

        // A scratch database beside the one named: the backup is restored there, never over the named database.
        var scratch = $"schemaops_rehearsal_{Guid.NewGuid():N}"[..32];
        var admin = request.Target.WithDatabase("postgres");
        var target = request.Target.WithDatabase(scratch);
        await using (var conn = admin.CreateConnection())
        {
            await conn.OpenAsync(ct);
            await conn.ExecuteAsync($"CREATE DATABASE {HistoryTableName.Quote(scratch)}", ct);
        }
        var scratchPlace = new RehearsalPlace(target, $"{target.Display} (scratch database, dropped afterwards)", scratchAdmin: admin, scratch: scratch);
        try
        {
            await RestoreAsync(request, target, settings, sink, ct);
            return scratchPlace;
        }
        catch
        {
            await scratchPlace.DisposeAsync();
            throw;
        }
    }

    private static Task RestoreAsync(RehearsalRequest request, ConnectionTarget target, MigrationSettings settings, IOperationSink sink, CancellationToken ct) =>
        RestoreOperation.RestoreAsync(new MigrationRequest(target, settings with { Production = false }), request.FromBackup!,
            new RestoreOptions { PgBinDirectory = request.PgBinDirectory }, new ConfirmedSink(sink), ct);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_scratch is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var conn = _scratchAdmin!.CreateConnection();
            await conn.OpenAsync(CancellationToken.None);
            await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {HistoryTableName.Quote(_scratch)} WITH (FORCE)", CancellationToken.None);
        }
    }
}
