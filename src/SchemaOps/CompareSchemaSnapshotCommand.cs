using System.Management.Automation;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Commands;

/// <summary>One SchemaDifference per object added, removed or changed between two snapshots (objects or saved JSON files).</summary>
[Cmdlet(VerbsData.Compare, "SchemaSnapshot", HelpUri = HelpLinks.Module)]
[OutputType(typeof(SchemaDifference))]
public sealed class CompareSchemaSnapshotCommand : SchemaOpsCmdlet
{
    /// <summary>The earlier snapshot: an object from Get-SchemaSnapshot, or the path of one saved with -OutFile.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [SnapshotFromPath]
    public SchemaSnapshot Reference { get; set; } = null!;

    /// <summary>The later snapshot, from the pipeline too.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [SnapshotFromPath]
    public SchemaSnapshot Difference { get; set; } = null!;

    protected override void ProcessInput()
    {
        foreach (var difference in SnapshotComparer.Compare(Reference, Difference)) WriteObject(difference);
    }
}

/// <summary>Lets a snapshot parameter take a file path: the JSON a snapshot was saved to is loaded.</summary>
public sealed class SnapshotFromPathAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is not string path) return inputData;
        var full = engineIntrinsics.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return SnapshotFiles.Load(full);
        }
        catch (SchemaOpsException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}

/// <summary>Keeps the engine call out of the attribute's own code, so PowerShell can inspect the attribute before the engine loads.</summary>
internal static class SnapshotFiles
{
    public static SchemaSnapshot Load(string path) => SnapshotFile.Load(path);
}
