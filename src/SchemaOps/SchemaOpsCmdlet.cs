using System.Management.Automation;

namespace SchemaOps.Commands;

/// <summary>
/// What every SchemaOps cmdlet shares: running an engine operation off the pipeline thread with
/// Ctrl+C wired to cancellation, and turning engine errors into ErrorRecords with stable ids.
/// </summary>
public abstract class SchemaOpsCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// Runs the operation; its output, progress and questions reach the pipeline as they happen. An engine
    /// error ends the command, or with <paramref name="terminating"/> false is written and the next input processed.
    /// </summary>
    protected void Run(Func<IOperationSink, CancellationToken, Task> operation, bool terminating = true)
    {
        using var sink = new PipelineSink(this);
        try
        {
            sink.Pump(Task.Run(() => operation(sink, _stop.Token)));
        }
        catch (SchemaOpsException e) when (!terminating)
        {
            WriteError(ToRecord(e));
        }
        catch (SchemaOpsException e)
        {
            Fail(e);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by Ctrl+C: the engine rolled back whatever was in progress.
        }
    }

    /// <summary>Runs quick work on the pipeline thread (reading config, building requests) with the same stable error ids as <see cref="Run"/>.</summary>
    internal T Guard<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (SchemaOpsException e)
        {
            Fail(e);
            throw; // not reached: Fail throws
        }
    }

    private void Fail(SchemaOpsException e) => ThrowTerminatingError(ToRecord(e));

    private static ErrorRecord ToRecord(SchemaOpsException e) => new(e, e.ErrorId, Map(e.Category), (object?)e.File ?? e.Version);

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>A path as the user meant it: relative to PowerShell's current location, not the process's.</summary>
    internal string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);

    private static ErrorCategory Map(SchemaOpsErrorCategory category) => category switch
    {
        SchemaOpsErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
        SchemaOpsErrorCategory.InvalidData => ErrorCategory.InvalidData,
        SchemaOpsErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
        SchemaOpsErrorCategory.ConnectionError => ErrorCategory.ConnectionError,
        SchemaOpsErrorCategory.AuthenticationError => ErrorCategory.AuthenticationError,
        SchemaOpsErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
        SchemaOpsErrorCategory.ResourceBusy => ErrorCategory.ResourceBusy,
        SchemaOpsErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
        SchemaOpsErrorCategory.OperationStopped => ErrorCategory.OperationStopped,
        SchemaOpsErrorCategory.WriteError => ErrorCategory.WriteError,
        _ => ErrorCategory.InvalidOperation,
    };
}
