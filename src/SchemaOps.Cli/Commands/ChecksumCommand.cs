using SchemaOps.Engine.Operations;

namespace SchemaOps.Cli.Commands;

public sealed class ChecksumCommand : ICommand
{
    public string Name => "checksum";
    public string Summary => "print the Flyway checksum of script files";
    public string Usage => "schemaops checksum FILE... [--json]";
    public IReadOnlyList<OptionSpec> Options { get; } = [new("--json", "print the results as a JSON array", TakesValue: false)];

    public Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        if (args.Positionals.Count == 0) throw new UsageException("checksum needs at least one FILE");
        var sink = context.Sink(args);
        ChecksumOperation.Compute(args.Positionals, sink);
        sink.Finish();
        return Task.FromResult(ExitCodes.Success);
    }
}
