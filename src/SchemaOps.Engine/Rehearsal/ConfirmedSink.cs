namespace SchemaOps.Engine.Rehearsal;

/// <summary>
/// For the operations a rehearsal runs: passes progress and warnings on, keeps the migration results (the
/// rehearsal reports them in its own result), and answers yes: the rehearsal as a whole was confirmed.
/// </summary>
internal sealed class ConfirmedSink(IOperationSink outer) : IOperationSink
{
    public List<MigrationResult> Results { get; } = [];
    public void WriteObject(object item) { if (item is MigrationResult r) Results.Add(r); }
    public void WriteProgress(ProgressRecordInfo progress) => outer.WriteProgress(progress);
    public void WriteVerbose(string message) => outer.WriteVerbose(message);
    public void WriteWarning(string message) => outer.WriteWarning(message);
    public bool ShouldProcess(string target, string action) => true;
}
