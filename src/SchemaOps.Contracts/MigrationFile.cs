namespace SchemaOps;

/// <summary>A migration file created by New-Migration.</summary>
public sealed class MigrationFile
{
    public string Version { get; init; } = "";
    public string Description { get; init; } = "";
    public MigrationKind Kind { get; init; }
    public string Path { get; init; } = "";

    public override string ToString() => Path;
}
