using System.Collections.Concurrent;

namespace SchemaOps.Engine.Tests;

/// <summary>Records everything an operation reports. Answering false to ShouldProcess is -WhatIf.</summary>
public sealed class RecordingSink(bool whatIf = false) : IOperationSink
{
    public ConcurrentQueue<object> Objects { get; } = new();
    public ConcurrentQueue<string> Verbose { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<(string Target, string Action)> Questions { get; } = new();
    public ConcurrentQueue<ProgressRecordInfo> Progress { get; } = new();

    public void WriteObject(object item) => Objects.Enqueue(item);
    public void WriteProgress(ProgressRecordInfo progress) => Progress.Enqueue(progress);
    public void WriteVerbose(string message) => Verbose.Enqueue(message);
    public void WriteWarning(string message) => Warnings.Enqueue(message);

    public bool ShowsQuestions => whatIf;

    public bool ShouldProcess(string target, string action)
    {
        Questions.Enqueue((target, action));
        return !whatIf;
    }

    public IEnumerable<T> Of<T>() => Objects.OfType<T>();
}
