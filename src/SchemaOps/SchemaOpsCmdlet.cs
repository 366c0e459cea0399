using System.Management.Automation;
using System.Runtime.InteropServices;

namespace SchemaOps.Commands;

/// <summary>
/// What every SchemaOps cmdlet shares: running an engine operation off the pipeline thread with Ctrl+C and
/// a stopped pipeline wired to cancellation, turning engine errors into ErrorRecords with stable ids, and
/// PowerShell's rule for errors: a problem with one input item is written and the next item goes on; what
/// stops everything (a failed change, bad parameters) ends the command.
/// </summary>
public abstract class SchemaOpsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Does the cmdlet's work for one input item (or once, without pipeline input).</summary>
    protected abstract void ProcessInput();

    protected sealed override void ProcessRecord()
    {
        try
        {
            ProcessInput();
        }
        catch (InputItemSkipped)
        {
            // Its error was written; the next input item is processed.
        }
    }

    /// <summary>
    /// Runs the operation; its output, progress and questions reach the pipeline as they happen. An engine
    /// error ends the command; it is only written, and the next input processed, when <paramref name="terminating"/>
    /// is false or when a cmdlet that changes nothing works on one of several piped items.
    /// </summary>
    protected void Run(Func<IOperationSink, CancellationToken, Task> operation, bool? terminating = null)
    {
        using var sink = new PipelineSink(this, _stop);
        try
        {
            var work = Task.Run(() => operation(sink, _stop.Token));
            using var signals = StopOnSignals(work);
            sink.Pump(work);
        }
        catch (SchemaOpsException e) when (!(terminating ?? !(MyInvocation.ExpectingInput && ChangesNothing)))
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

    /// <summary>
    /// Runs quick work on the pipeline thread (reading config, building requests) with the same stable error ids
    /// as <see cref="Run"/>. A problem with a piped item (a bad URL, an unknown environment) is that item's error only.
    /// </summary>
    internal T Guard<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (SchemaOpsException e) when (MyInvocation.ExpectingInput)
        {
            WriteError(ToRecord(e));
            throw new InputItemSkipped();
        }
        catch (SchemaOpsException e)
        {
            Fail(e);
            throw; // not reached: Fail throws
        }
    }

    /// <summary>Get-, Test- and Compare- cmdlets: one piped item's failure leaves the others' results standing.</summary>
    private bool ChangesNothing => MyInvocation.MyCommand is CmdletInfo { Verb: "Get" or "Test" or "Compare" };

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Ends the processing of one input item whose error has been written.</summary>
    private sealed class InputItemSkipped : Exception;

    private void Fail(SchemaOpsException e) => ThrowTerminatingError(ToRecord(e));

    private static ErrorRecord ToRecord(SchemaOpsException e) => Record(e, e.Kind, e.TargetObject);

    /// <summary>The error record of a kind from the catalogue: its id and its category, as every SchemaOps error has them.</summary>
    protected static ErrorRecord Record(Exception e, ErrorKind kind, object? target) => new(e, kind.Id, Map(kind.Category), target);

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>
    /// SIGTERM (systemd, Kubernetes, CI runners), SIGHUP (a closed terminal) and SIGQUIT end the host process: first
    /// the work in progress is canceled as Ctrl+C cancels it (rolled back, children stopped, partial files, scratch
    /// databases and throwaway servers removed), and the process only ends once that is done.
    /// </summary>
    private IDisposable StopOnSignals(Task work)
    {
        var registrations = new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, _ =>
        {
            _stop.Cancel();
            try { work.Wait(TimeSpan.FromSeconds(30)); }
            catch (AggregateException) { } // canceled, as asked
        })).ToList();
        return new SignalRegistrations(registrations);
    }

    private sealed class SignalRegistrations(List<PosixSignalRegistration> all) : IDisposable
    {
        public void Dispose() => all.ForEach(r => r.Dispose());
    }

    /// <summary>A path as the user meant it: relative to PowerShell's current location, not the process's.</summary>
    internal string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// Existing files or folders named by -Path (wildcards expanded) or -LiteralPath, as PowerShell's own cmdlets
    /// resolve them: a path that names nothing is a non-terminating PathNotFound error, and the others go on.
    /// </summary>
    internal IEnumerable<string> ResolveExisting(IEnumerable<string> paths, bool literal)
    {
        foreach (var path in paths)
        {
            List<string> found;
            try
            {
                ProviderInfo? provider = null;
                found = literal ? [GetUnresolvedProviderPathFromPSPath(path)] : [.. GetResolvedProviderPathFromPSPath(path, out provider)];
                found = provider is null or { Name: "FileSystem" } ? found.Where(f => File.Exists(f) || Directory.Exists(f)).ToList() : [];
            }
            catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException)
            {
                found = [];
            }
            if (found.Count == 0)
                WriteError(Record(new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."), ErrorCatalog.PathNotFound, path));
            foreach (var f in found) yield return f;
        }
    }

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
        SchemaOpsErrorCategory.NotSpecified => ErrorCategory.NotSpecified,
        _ => ErrorCategory.InvalidOperation,
    };
}
