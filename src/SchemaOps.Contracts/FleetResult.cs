namespace SchemaOps;

/// <summary>How one database of a fleet migration went: one object per target, whatever happened to the others.</summary>
public sealed class FleetResult
{
    /// <summary>user@host:port/database (never a password).</summary>
    public string Database { get; init; } = "";
    public bool Succeeded { get; init; }
    /// <summary>How many migrations were applied to this database.</summary>
    public int Applied { get; init; }
    public string[] Versions { get; init; } = [];
    /// <summary>Milliseconds from start to end for this database.</summary>
    public int ElapsedMilliseconds { get; init; }
    public string? ErrorId { get; init; }
    public string? Error { get; init; }

    public override string ToString() => Succeeded ? $"{Database}: {Applied} applied" : $"{Database}: FAILED [{ErrorId}]";
}
