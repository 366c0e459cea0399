namespace SchemaOps;

/// <summary>
/// Where an engine operation reports. The cmdlet base class and the CLI each implement it once; tests use
/// a recording one. Calls may come from any thread: implementations marshal to where they must run.
/// </summary>
public interface IOperationSink
{
    /// <summary>An output object, emitted as soon as it is produced.</summary>
    void WriteObject(object item);

    void WriteProgress(ProgressRecordInfo progress);

    /// <summary>What the operation is doing, for -Verbose / --verbose.</summary>
    void WriteVerbose(string message);

    /// <summary>Something that may be unintended.</summary>
    void WriteWarning(string message);

    /// <summary>Asked right before each change; false means "do not change it" (-WhatIf, or -Confirm answered no).</summary>
    bool ShouldProcess(string target, string action);

    /// <summary>
    /// Whether someone reads the ShouldProcess questions (-WhatIf, --what-if, -Confirm): only then are they worth the
    /// extra detail that costs work on every change (a migration's locks).
    /// </summary>
    bool ShowsQuestions => false;
}

/// <summary>One progress update. ActivityId is stable per kind of activity.</summary>
public sealed record ProgressRecordInfo(int ActivityId, string Activity, string Status, int PercentComplete, bool Completed = false);
