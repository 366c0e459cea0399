using System.Collections.Concurrent;
using System.Text;

namespace SchemaOps.Engine.Ephemeral;

/// <summary>
/// New-EphemeralDatabase / Remove-EphemeralDatabase and `schemaops ephemeral`: a throwaway server handed to
/// the caller, described by an <see cref="EphemeralDatabase"/> (no password). It lives until removed or
/// until this process ends, whichever comes first; one left by a killed process is removed on the next start.
/// </summary>
public static class EphemeralDatabaseOperation
{
    public const string DefaultDatabase = "postgres";
    private const int MaxIdentifierBytes = 63; // NAMEDATALEN - 1: longer names are cut short by PostgreSQL

    // The servers handed out, by id, with the session they belong to (a PowerShell runspace's id; the CLI's
    // process). Only these can be removed, and only by their own session: a server a rehearsal started, or one
    // another runspace of the same process holds, is not the caller's to remove.
    private static readonly ConcurrentDictionary<string, (EphemeralPostgres Server, EphemeralDatabase Description, Guid Owner)> HandedOut = new();

    /// <summary>
    /// Starts the server for <paramref name="owner"/>, writes its description to the sink and returns it; null
    /// when ShouldProcess declined (-WhatIf).
    /// </summary>
    public static async Task<EphemeralDatabase?> StartAsync(string database, string? binDirectory, Guid owner, IOperationSink sink, CancellationToken ct)
    {
        if (database.Length == 0 || Encoding.UTF8.GetByteCount(database) > MaxIdentifierBytes)
            throw new SchemaOpsException(ErrorCatalog.EphemeralDatabaseNameInvalid,
                $"database name '{database}' must be 1 to {MaxIdentifierBytes} bytes (PostgreSQL would cut a longer one short)");
        if (!sink.ShouldProcess($"a throwaway PostgreSQL on {EphemeralPostgres.Host}", $"Start it{(database == DefaultDatabase ? "" : $" with an empty database '{database}'")}"))
            return null;
        var server = await EphemeralPostgres.StartAsync(new EphemeralOptions(binDirectory), ct).ConfigureAwait(false);
        try
        {
            if (database != DefaultDatabase) await server.CreateDatabaseAsync(database, ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var description = Describe(server, database);
        HandedOut[description.Id] = (server, description, owner);
        sink.WriteVerbose($"started throwaway PostgreSQL {description.ServerVersion} ({description.Id}) on {description.Host}:{description.Port} in {description.StartSeconds:0.000} s; data in {description.DataDirectory}");
        sink.WriteObject(description);
        return description;
    }

    /// <summary>
    /// Stops the server and deletes its data; with <paramref name="passThru"/> its description goes to the sink.
    /// An id not handed out by this process (or already removed) is an error naming the ones it can remove.
    /// </summary>
    public static async Task RemoveAsync(string id, Guid owner, bool passThru, IOperationSink sink)
    {
        if (!HandedOut.TryGetValue(id, out var entry) || entry.Owner != owner)
            throw new SchemaOpsException(ErrorCatalog.EphemeralDatabaseNotFound,
                $"no throwaway PostgreSQL '{id}' is running in this session; running: {(RunningIds(owner) is { Count: > 0 } ids ? string.Join(", ", ids) : "none")}", target: id);
        if (!sink.ShouldProcess($"throwaway PostgreSQL {id} on {entry.Description.Host}:{entry.Description.Port}", "Stop it and delete its data")) return;
        await entry.Server.DisposeAsync().ConfigureAwait(false);
        HandedOut.TryRemove(id, out _);
        sink.WriteVerbose($"removed throwaway PostgreSQL {id}");
        if (passThru) sink.WriteObject(entry.Description);
    }

    /// <summary>The ids of the servers handed out to <paramref name="owner"/> and not yet removed, oldest first.</summary>
    public static IReadOnlyList<string> RunningIds(Guid owner) =>
        HandedOut.Values.Where(e => e.Owner == owner).OrderBy(e => e.Description.StartedAt).Select(e => e.Description.Id).ToList();

    /// <summary>Stops and deletes every server <paramref name="owner"/> still holds: its session is ending.</summary>
    public static async Task RemoveAllAsync(Guid owner)
    {
        foreach (var id in RunningIds(owner))
            if (HandedOut.TryRemove(id, out var entry)) await entry.Server.DisposeAsync().ConfigureAwait(false);
    }

    private static EphemeralDatabase Describe(EphemeralPostgres server, string database) => new()
    {
        Id = server.Id,
        Host = EphemeralPostgres.Host,
        Port = server.Port,
        Database = database,
        User = EphemeralPostgres.SuperUser,
        ConnectionString = server.ConnectionString(database),
        Passfile = server.PassfilePath,
        DataDirectory = Path.Combine(server.Directory, "data"),
        ProcessId = server.ProcessId,
        ServerVersion = server.MajorVersion,
        BinDirectory = server.Installation.BinDirectory,
        StartedAt = server.StartedAt,
        StartSeconds = Math.Round(server.StartDuration.TotalSeconds, 3),
    };
}
