using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;

namespace SchemaOps.Commands;

/// <summary>
/// The cmdlets' IOperationSink. The engine runs on a worker thread; PowerShell allows Write* and ShouldProcess
/// only on the pipeline thread, so every call is queued and run there by <see cref="Pump"/>.
/// Objects and questions wait for the pipeline thread: the engine never runs ahead of what PowerShell has
/// accepted. When the pipeline refuses one (Select-Object -First stopped it, Ctrl+C, a host that cannot
/// prompt), the engine is canceled at that call, before its next change, and the pump waits for it to finish
/// rolling back: nothing changes after the cmdlet returns, and what was applied was written to the pipeline.
/// </summary>
internal sealed class PipelineSink(PSCmdlet cmdlet, CancellationTokenSource stop) : IOperationSink, IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private ExceptionDispatchInfo? _refused; // what the pipeline threw; set and read on the pipeline thread only

    public void WriteObject(object item) => Call(() =>
    {
        cmdlet.WriteObject(item);
        return true;
    });

    public bool ShouldProcess(string target, string action) => Call(() => cmdlet.ShouldProcess(target, action));

    // Read here, on the pipeline thread that creates the sink.
    public bool ShowsQuestions { get; } = cmdlet.MyInvocation.BoundParameters.ContainsKey("WhatIf") || cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm");

    public void WriteVerbose(string message) => Post(() => cmdlet.WriteVerbose(message));
    public void WriteWarning(string message) => Post(() => cmdlet.WriteWarning(message));

    public void WriteProgress(ProgressRecordInfo p) => Post(() => cmdlet.WriteProgress(new ProgressRecord(p.ActivityId, p.Activity, p.Status)
    {
        PercentComplete = p.PercentComplete,
        RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    }));

    /// <summary>Runs queued calls on the calling (pipeline) thread until <paramref name="work"/> ends, then surfaces how it ended.</summary>
    public void Pump(Task work)
    {
        work.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
        foreach (var action in _queue.GetConsumingEnumerable()) action();
        if (_refused is not null)
        {
            _ = work.Exception; // the engine's cancellation is the consequence, not the news
            _refused.Throw();
        }
        work.GetAwaiter().GetResult(); // rethrows the engine's exception, if any
    }

    public void Dispose() => _queue.Dispose();

    /// <summary>Runs <paramref name="body"/> on the pipeline thread and waits for it; a refusal there cancels the engine.</summary>
    private T Call<T>(Func<T> body)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            if (_refused is not null)
            {
                answer.SetCanceled(stop.Token);
                return;
            }
            try { answer.SetResult(body()); }
            catch (Exception e)
            {
                Refuse(e);
                answer.SetException(new OperationCanceledException("the pipeline stopped", e, stop.Token));
            }
        }, orElse: () => answer.TrySetCanceled(stop.Token));
        return answer.Task.GetAwaiter().GetResult();
    }

    private void Post(Action action, Action? orElse = null)
    {
        try
        {
            _queue.Add(() =>
            {
                if (_refused is not null && orElse is null) return; // nothing more reaches a pipeline that refused
                try { action(); }
                catch (Exception e) { Refuse(e); }
            });
        }
        catch (InvalidOperationException)
        {
            orElse?.Invoke(); // the pump has finished
        }
    }

    private void Refuse(Exception e)
    {
        _refused ??= ExceptionDispatchInfo.Capture(e);
        stop.Cancel();
    }
}
