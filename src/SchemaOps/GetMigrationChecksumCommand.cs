using System.Management.Automation;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Commands;

/// <summary>The Flyway checksum of script files; no database needed.</summary>
[Cmdlet(VerbsCommon.Get, "MigrationChecksum", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Module)]
[OutputType(typeof(ScriptChecksum))]
public sealed class GetMigrationChecksumCommand : SchemaOpsCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Script files; wildcards are expanded. Also file names from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Script files, taken as written; Get-ChildItem's output binds here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    protected override void ProcessInput()
    {
        // One error per file that cannot be read, and the other files' checksums all the same.
        foreach (var file in ResolveExisting(ParameterSetName == PathSet ? Path : LiteralPath, literal: ParameterSetName == LiteralPathSet))
            Run((sink, _) =>
            {
                ChecksumOperation.Compute([file], sink);
                return Task.CompletedTask;
            }, terminating: false);
    }
}
