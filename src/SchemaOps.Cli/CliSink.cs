namespace SchemaOps.Cli;

/// <summary>
/// The CLI's sink. Human mode prints each object as it arrives (stdout) and notes on stderr; JSON mode
/// collects the objects and prints them as one JSON array, the same properties the cmdlets emit.
/// ShouldProcess answers no under --what-if and prints what would be done.
/// </summary>
public sealed class CliSink(TextWriter stdout, TextWriter stderr, bool json, bool verbose, bool whatIf) : IOperationSink
{
    private readonly List<object> _objects = [];
    private readonly object _gate = new();
    private readonly System.Diagnostics.Stopwatch _sinceFlush = System.Diagnostics.Stopwatch.StartNew();

    public IReadOnlyList<object> Objects => _objects;

    /// <summary>A table's heading, printed (human mode) above the first object: a command that fails before it has any prints none.</summary>
    public string? Header { get; set; }

    public void WriteObject(object item)
    {
        lock (_gate)
        {
            _objects.Add(item);
            if (json) return;
            if (_objects.Count == 1 && Header is not null) stdout.WriteLine(Header);
            stdout.WriteLine(HumanFormat.Line(item));
            // Stdout is buffered: a long listing costs one write per buffer, yet results still appear promptly.
            if (_sinceFlush.ElapsedMilliseconds >= 100)
            {
                stdout.Flush();
                _sinceFlush.Restart();
            }
        }
    }

    public void WriteProgress(ProgressRecordInfo progress)
    {
        if (verbose && !progress.Completed) lock (_gate) stderr.WriteLine($"... {progress.Status}");
    }

    public void WriteVerbose(string message)
    {
        if (verbose) lock (_gate) stderr.WriteLine($"VERBOSE: {message}");
    }

    public void WriteWarning(string message)
    {
        lock (_gate) stderr.WriteLine($"WARNING: {message}");
    }

    public bool ShowsQuestions => whatIf;

    public bool ShouldProcess(string target, string action)
    {
        if (whatIf) lock (_gate) (json ? stderr : stdout).WriteLine($"What if: {action} on {target}");
        return !whatIf;
    }

    /// <summary>In JSON mode, the collected objects as one array (printed even when the command failed part-way).</summary>
    public void Finish()
    {
        if (json) stdout.WriteLine(CliJson.Array(_objects));
        stdout.Flush();
    }
}
