using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>The Flyway checksum of script files; no database needed.</summary>
[Cmdlet(VerbsCommon.Get, "MigrationChecksum", HelpUri = HelpLinks.Module)]
[OutputType(typeof(ScriptChecksum))]
public sealed class GetMigrationChecksumCommand : SchemaOpsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    protected override void ProcessRecord()
    {
        var files = Path.Select(ResolvePath).ToList();
        Run((sink, _) =>
        {
            ChecksumOperation.Compute(files, sink);
            return Task.CompletedTask;
        });
    }
}
