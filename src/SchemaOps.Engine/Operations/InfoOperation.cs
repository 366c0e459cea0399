using SchemaOps.Engine.Planning;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>`info` and `validate`: read-only, no lock taken.</summary>
public static class InfoOperation
{
    /// <summary>Every migration with its Flyway state, emitted to the sink and returned.</summary>
    public static async Task<IReadOnlyList<MigrationInfo>> InfoAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct)
    {
        return await WithEntriesAsync(request, "Info", sink, ct, entries =>
        {
            var infos = entries.Select(e => e.ToInfo()).ToList();
            foreach (var info in infos) sink.WriteObject(info);
            return (IReadOnlyList<MigrationInfo>)infos;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// One result per migration checked, or one per problem; all problems, not just the first. With
    /// <paramref name="onlyVersions"/> or <paramref name="onlyScripts"/>, only the results of those versions
    /// (compared as versions: 1.0 is 1) and scripts (file names; how a repeatable is chosen).
    /// </summary>
    public static async Task<IReadOnlyList<ValidationResult>> ValidateAsync(MigrationRequest request, IOperationSink sink, CancellationToken ct,
        IReadOnlyCollection<string>? onlyVersions = null, IReadOnlyCollection<string>? onlyScripts = null)
    {
        var ignore = request.IgnorePatterns;
        var wanted = onlyVersions?.Select(v => MigrationVersion.TryParse(v, out var parsed, out var error) ? parsed!
            : throw Errors.Parameter(ErrorCatalog.InvalidVersion, $"version: {error}", v)).ToHashSet();
        return await WithEntriesAsync(request, "Validate", sink, ct, entries =>
        {
            var baseline = entries.LastOrDefault(e => e.Kind == MigrationKind.Baseline)?.Version;
            var results = Validator.Validate(entries, ignore, pendingAllowed: false, baseline)
                .Where(r => wanted is null && onlyScripts is null
                            || r.Version is not null && wanted?.Contains(r.Version) == true
                            || onlyScripts?.Contains(r.Script, StringComparer.Ordinal) == true)
                .ToList();
            foreach (var r in results) sink.WriteObject(r);
            return (IReadOnlyList<ValidationResult>)results;
        }, failed: results => results.Any(r => !r.Passed)).ConfigureAwait(false);
    }

    /// <summary>The migrations and their states, with the operation's callbacks (before/after/afterError) around the work.</summary>
    private static async Task<T> WithEntriesAsync<T>(MigrationRequest request, string operation, IOperationSink sink, CancellationToken ct,
        Func<List<MigrationEntry>, T> body, Func<T, bool>? failed = null)
    {
        var target = request.TargetVersion;
        var session = await request.OpenWithScriptsAsync(sink, ct).ConfigureAwait(false);
        await using var sessionScope = session.ConfigureAwait(false);
        return await request.GuardAsync("reading the history", () => OperationCallbacks.For(session, operation).AroundAsync(session, request, sink, async () =>
        {
            var rows = await session.ReadHistoryAsync(ct).ConfigureAwait(false);
            // An empty history read where the real one is not: say so, or every applied migration reads as pending.
            if (rows.Count == 0 && !await session.History.ExistsAsync(ct).ConfigureAwait(false)
                && await session.HistoryElsewhereAsync(request.Settings, ct).ConfigureAwait(false) is { } elsewhere)
                sink.WriteWarning($"{elsewhere}; the states below are read as if nothing had been applied");
            return body(StateResolver.Resolve(session.Scripts, rows, target, session.OutOfOrder));
        }, ct, failed)).ConfigureAwait(false);
    }
}
