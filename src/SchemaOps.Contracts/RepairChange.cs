namespace SchemaOps;

/// <summary>What repair does to one history row (Flyway 7+ semantics).</summary>
public enum RepairAction
{
    RemovedFailedRow,
    MarkedDeleted,
    AlignedChecksum,
    AlignedDescription,
    AlignedType,
}

/// <summary>One change repair made (or, under -WhatIf, would make) to the history table.</summary>
public sealed class RepairChange
{
    public RepairAction Action { get; init; }
    public MigrationVersion? Version { get; init; }
    public string Description { get; init; } = "";
    public string Script { get; init; } = "";
    public int InstalledRank { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
    public string Database { get; init; } = "";

    public override string ToString() => $"{Action} {Version?.Text ?? "R"} {Description}" + (Before is null && After is null ? "" : $": {Before} -> {After}");
}
