using SchemaOps.Engine.Execution;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>Baseline: marks an existing database as being at a version, with Flyway's row and refusal rules.</summary>
public static class BaselineOperation
{
    public static async Task<BaselineResult> BaselineAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        var settings = request.Settings;
        var version = request.BaselineVersion;
        var session = await request.OpenWithoutScriptsAsync(sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        return await request.GuardAsync("baselining", async () =>
        {
            // golang-migrate's single row makes a baseline its `force <version>`; dbmate lists versions and has no such row.
            if (session.Layout == MigrationLayout.Dbmate)
                throw Errors.Refusal(ErrorCatalog.BaselineNotSupported,
                    $"dbmate's history table {session.History.Name} has no baseline: it lists each applied version. " +
                    "To take over an existing database, insert the versions already in effect into it, then migrate.");
            var migrationLock = await MigrationLock.AcquireAsync(session, settings.LockWaitTimeout, sink, ct).ConfigureAwait(false);
            await using var migrationLockScope = migrationLock.ConfigureAwait(false);
            var rows = await session.ReadHistoryAsync(ct).ConfigureAwait(false);
            var existing = rows.LastOrDefault(r => r.Type == HistoryTypes.Baseline);
            if (existing is not null)
            {
                if (Equals(existing.Version, version) && existing.Description == settings.BaselineDescription)
                {
                    sink.WriteVerbose($"{session.History.Name} already has this baseline (rank {existing.InstalledRank}); nothing to do");
                    return Emit(sink, new BaselineResult { Version = version, Description = existing.Description, InstalledRank = existing.InstalledRank, Created = false, Database = request.Target.Database });
                }
                throw Errors.Refusal(ErrorCatalog.BaselineConflict,
                    $"{session.History.Name} already has a baseline at version {existing.VersionText} ('{existing.Description}'); it cannot be baselined again at {version}", existing.VersionText);
            }
            var applied = rows.FirstOrDefault(r => r.Kind is MigrationKind.Versioned or MigrationKind.Repeatable);
            if (applied is not null)
                throw Errors.Refusal(ErrorCatalog.BaselineNotEmpty,
                    $"{session.History.Name} already holds migrations (first: rank {applied.InstalledRank}, {applied.Script}): a baseline only starts an empty history", applied.VersionText);

            var tableTarget = $"{session.History.Name} in {request.Target.Display}";
            if (!sink.ShouldProcess(tableTarget, $"Baseline at version {version}"))
                return new BaselineResult { Version = version, Description = settings.BaselineDescription, Created = false, Database = request.Target.Database };

            return await OperationCallbacks.For(session, "Baseline").AroundAsync(session, request, sink, async () =>
            {
                var tx = await session.Connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using var txScope = tx.ConfigureAwait(false);
                await HistorySetup.CreateMissingAsync(session, settings, await HistorySetup.InspectAsync(session, settings, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                var rank = await session.History.RecordAsync(HistoryRow.Baseline(version.Text, settings.BaselineDescription, settings.InstalledBy), ct).ConfigureAwait(false);
                await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return Emit(sink, new BaselineResult { Version = version, Description = settings.BaselineDescription, InstalledRank = rank, Created = true, Database = request.Target.Database });
            }, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static BaselineResult Emit(IOperationSink sink, BaselineResult result)
    {
        sink.WriteObject(result);
        return result;
    }
}
