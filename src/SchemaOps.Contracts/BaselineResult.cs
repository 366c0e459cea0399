namespace SchemaOps;

/// <summary>The outcome of baseline.</summary>
public sealed class BaselineResult
{
    public MigrationVersion Version { get; init; } = MigrationVersion.Parse("1");
    public string Description { get; init; } = "";
    public int? InstalledRank { get; init; }
    /// <summary>False when the table already held this exact baseline (nothing was written).</summary>
    public bool Created { get; init; }
    public string Database { get; init; } = "";

    public override string ToString() => $"Baseline {Version} {(Created ? "created" : "already present")}";
}

/// <summary>The Flyway checksum of one script file.</summary>
public sealed class ScriptChecksum
{
    public string Path { get; init; } = "";
    public int Checksum { get; init; }

    public override string ToString() => $"{Checksum} {Path}";
}
