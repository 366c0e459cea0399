namespace SchemaOps.Engine;

/// <summary>A sink that drops everything: for an operation run inside another that reports for itself.</summary>
internal sealed class NullSink : IOperationSink
{
    public static readonly NullSink Instance = new();
    public void WriteObject(object item) { }
    public void WriteProgress(ProgressRecordInfo progress) { }
    public void WriteVerbose(string message) { }
    public void WriteWarning(string message) { }
    public bool ShouldProcess(string target, string action) => true;
}
