namespace SchemaOps;

/// <summary>A migration file created by New-Migration.</summary>
public sealed class MigrationFile
{
    public MigrationVersion Version { get; init; } = MigrationVersion.Parse("1");
    public string Description { get; init; } = "";
    public MigrationKind Kind { get; init; }
    public string Path { get; init; } = "";

    public override string ToString() => Path;
}
