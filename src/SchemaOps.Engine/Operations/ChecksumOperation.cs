using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>The Flyway checksum of given files, no database needed.</summary>
public static class ChecksumOperation
{
    public static IReadOnlyList<ScriptChecksum> Compute(IEnumerable<string> files, IOperationSink sink)
    {
        var results = new List<ScriptChecksum>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
                throw new SchemaOpsException(ErrorCatalog.FileNotFound, $"{file} does not exist", file);
            var result = new ScriptChecksum { Path = file, Checksum = FlywayChecksum.Compute(ScriptReader.Read(file, file)) };
            results.Add(result);
            sink.WriteObject(result);
        }
        return results;
    }
}
