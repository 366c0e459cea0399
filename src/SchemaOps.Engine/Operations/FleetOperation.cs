using System.Diagnostics;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// Migrates many databases in parallel (at most <c>throttle</c> at once), each exactly as a single migrate
/// would, under its own lock and transactions. One target failing never stops the others; each gets one
/// FleetResult, emitted in the order the targets were given once all are done.
/// </summary>
public static class FleetOperation
{
    /// <summary>How many databases at once when the caller does not say.</summary>
    public const int DefaultThrottleLimit = 4;

    /// <summary>
    /// Whether a migrate runs as a fleet (one FleetResult per database, in parallel): several databases, a
    /// targets list, or a throttle limit given, so a runbook that passes one gets the same objects however long
    /// its list is. A dry run writes one database's plan, so a fleet refuses it.
    /// </summary>
    public static bool IsFleet(int databases, bool targetsList, bool throttleLimitGiven, bool dryRun)
    {
        var fleet = databases > 1 || targetsList || throttleLimitGiven;
        if (fleet && dryRun)
            throw Errors.Parameter(ErrorCatalog.FleetDryRun, "a dry run writes one database's plan: it takes one database, not a fleet (several databases, a targets list or a throttle limit)");
        return fleet;
    }

    public static async Task<IReadOnlyList<FleetResult>> MigrateAllAsync(IReadOnlyList<MigrationRequest> requests, int throttle, IOperationSink sink, CancellationToken ct)
    {
        if (throttle < 1) throw Errors.Parameter(ErrorCatalog.InvalidThrottleLimit, $"the throttle limit must be at least 1 (was {throttle})");
        if (requests.Count == 0) throw Errors.Parameter(ErrorCatalog.NoTargets, "no database to migrate: give at least one target");
        // Asked here, in order, on the caller's thread: the workers below never ask.
        var accepted = requests.Where(r => sink.ShouldProcess(r.Target.Display, "Migrate")).ToList();
        var forward = new object();
        using var gate = new SemaphoreSlim(throttle);
        var results = await Task.WhenAll(accepted.Select(async request =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await MigrateOneAsync(request, new TargetSink(sink, request.Target.Display, forward), ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        foreach (var r in results) sink.WriteObject(r);
        return results;
    }

    private static async Task<FleetResult> MigrateOneAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var applied = await MigrateOperation.MigrateAsync(request, sink, ct).ConfigureAwait(false);
            return new FleetResult
            {
                Database = request.Target.Display, Succeeded = true, Applied = applied.Count,
                Versions = applied.Select(a => a.Version?.Text ?? "R " + a.Description).ToArray(), ElapsedMilliseconds = (int)watch.ElapsedMilliseconds,
            };
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var error = e as SchemaOpsException ?? Connections.DatabaseErrors.Translate(e, request.Target, "migrating");
            return new FleetResult
            {
                Database = request.Target.Display, Succeeded = false, ElapsedMilliseconds = (int)watch.ElapsedMilliseconds,
                ErrorId = error.ErrorId, Error = error.Message,
            };
        }
    }

    /// <summary>A target's view of the caller's sink: messages prefixed with the database, objects kept for its result, no questions.</summary>
    private sealed class TargetSink(IOperationSink inner, string target, object gate) : IOperationSink
    {
        public void WriteObject(object item) { }
        public void WriteProgress(ProgressRecordInfo progress) { }

        public void WriteVerbose(string message)
        {
            lock (gate) inner.WriteVerbose($"{target}: {message}");
        }

        public void WriteWarning(string message)
        {
            lock (gate) inner.WriteWarning($"{target}: {message}");
        }

        public bool ShouldProcess(string what, string action) => true; // the fleet asked once per target, up front
    }
}
