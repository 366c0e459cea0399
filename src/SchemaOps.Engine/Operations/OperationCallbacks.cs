using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// One operation's callbacks, prepared (split into statements): before&lt;Op&gt;, after&lt;Op&gt;,
/// after&lt;Op&gt;Error, and for Migrate and Undo the beforeEach / afterEach ones that run inside each
/// script's transaction. The one place callbacks are run around an operation.
/// </summary>
internal sealed record OperationCallbacks(string Operation, List<PreparedScript> Before, List<PreparedScript> BeforeEach,
    List<PreparedScript> AfterEach, List<PreparedScript> After, List<PreparedScript> Error)
{
    public static OperationCallbacks For(MigrationSession session, string operation)
    {
        List<PreparedScript> Of(string eventName) => session.Callbacks[eventName].Select(session.Prepare).ToList();
        return new(operation, Of($"before{operation}"), Of($"beforeEach{operation}"), Of($"afterEach{operation}"), Of($"after{operation}"), Of($"after{operation}Error"));
    }

    /// <summary>Around an operation that runs no scripts of its own: callbacks run on the session's connection.</summary>
    public Task<T> AroundAsync<T>(MigrationSession session, MigrationRequest request, IOperationSink sink, Func<Task<T>> body, CancellationToken ct, Func<T, bool>? failed = null) =>
        AroundAsync(session.NewExecutor(request.Settings.InstalledBy, request.Settings.Safety, sink),
            sink, body, ct, failed);

    /// <summary>
    /// Runs before&lt;Op&gt;, the body, then after&lt;Op&gt;; when the body throws (or its result counts as
    /// <paramref name="failed"/>: validation problems), after&lt;Op&gt;Error runs instead; its own failure is
    /// only a warning, since the operation's error is the one to report.
    /// </summary>
    public async Task<T> AroundAsync<T>(ScriptExecutor executor, IOperationSink sink, Func<Task<T>> body, CancellationToken ct, Func<T, bool>? failed = null)
    {
        foreach (var callback in Before) await executor.RunCallbackAsync(callback, ct).ConfigureAwait(false);
        T result;
        try
        {
            result = await body().ConfigureAwait(false);
        }
        catch (Exception e) when (Error.Count > 0 && e is not OperationCanceledException)
        {
            await RunErrorCallbacksAsync(executor, sink).ConfigureAwait(false);
            throw;
        }
        if (failed?.Invoke(result) == true) await RunErrorCallbacksAsync(executor, sink).ConfigureAwait(false);
        else foreach (var callback in After) await executor.RunCallbackAsync(callback, ct).ConfigureAwait(false);
        return result;
    }

    private async Task RunErrorCallbacksAsync(ScriptExecutor executor, IOperationSink sink)
    {
        foreach (var callback in Error)
        {
            try
            {
                await executor.RunCallbackAsync(callback, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                sink.WriteWarning($"the after{Operation}Error callback {callback.Script.DisplayPath} failed too: {e.Message}");
            }
        }
    }
}
