using System.Collections.Concurrent;
using System.Management.Automation;

namespace SchemaOps.Commands;

/// <summary>
/// The cmdlets' IOperationSink. The engine runs on a worker thread; PowerShell allows Write* and
/// ShouldProcess only on the pipeline thread, so every call is queued and run there by <see cref="Pump"/>.
/// ShouldProcess waits for the pipeline thread's answer.
/// </summary>
internal sealed class PipelineSink(PSCmdlet cmdlet) : IOperationSink, IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();

    public void WriteObject(object item) => Post(() => cmdlet.WriteObject(item));
    public void WriteVerbose(string message) => Post(() => cmdlet.WriteVerbose(message));
    public void WriteWarning(string message) => Post(() => cmdlet.WriteWarning(message));

    public void WriteProgress(ProgressRecordInfo p) => Post(() => cmdlet.WriteProgress(new ProgressRecord(p.ActivityId, p.Activity, p.Status)
    {
        PercentComplete = p.PercentComplete,
        RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    }));

    public bool ShouldProcess(string target, string action)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try { answer.SetResult(cmdlet.ShouldProcess(target, action)); }
            catch (Exception e) { answer.SetException(e); }
        });
        return answer.Task.GetAwaiter().GetResult();
    }

    /// <summary>Runs queued calls on the calling (pipeline) thread until <paramref name="work"/> ends.</summary>
    public void Pump(Task work)
    {
        work.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
        foreach (var action in _queue.GetConsumingEnumerable()) action();
        work.GetAwaiter().GetResult(); // rethrows the engine's exception, if any
    }

    public void Dispose() => _queue.Dispose();

    private void Post(Action action)
    {
        if (!_queue.IsAddingCompleted) _queue.Add(action);
    }
}
