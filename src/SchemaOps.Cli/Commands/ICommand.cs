namespace SchemaOps.Cli.Commands;

/// <summary>One `schemaops &lt;name&gt;` command: its options and what it runs.</summary>
public interface ICommand
{
    string Name { get; }
    string Summary { get; }
    string Usage { get; }
    IReadOnlyList<OptionSpec> Options { get; }
    Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct);
}

/// <summary>What a command may touch: its streams and environment (tests pass their own).</summary>
public sealed record CliContext(TextWriter Stdout, TextWriter Stderr, SchemaOps.Engine.Configuration.EnvironmentVariables Environment)
{
    /// <summary>Things to dispose when the command ends (a throwaway server, for one).</summary>
    public List<IAsyncDisposable> Cleanup { get; } = [];

    /// <param name="output">Where results go; default stdout (a command whose stdout belongs to another process passes stderr).</param>
    public CliSink Sink(ParsedArguments args, bool whatIf = false, TextWriter? output = null) =>
        new(output ?? Stdout, Stderr, json: args.Has("--json"), verbose: args.Has("--verbose"), whatIf);
}
