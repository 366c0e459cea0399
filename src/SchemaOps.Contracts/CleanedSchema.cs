namespace SchemaOps;

/// <summary>What clean did to one schema.</summary>
public sealed class CleanedSchema
{
    public string Schema { get; init; } = "";
    /// <summary>Objects dropped (tables, views, sequences, routines, types...).</summary>
    public int ObjectsDropped { get; init; }
    /// <summary>True when the schema itself was dropped (SchemaOps or Flyway created it, per the SCHEMA row).</summary>
    public bool SchemaDropped { get; init; }
    public string Database { get; init; } = "";
    /// <summary>
    /// Everything that went, as "kind name" ("table app.orders", "view app.totals"): what DROP ... CASCADE
    /// took, measured; a table's columns, constraints and indexes are not listed apart from it.
    /// </summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    public override string ToString() => SchemaDropped ? $"{Schema}: dropped" : $"{Schema}: {ObjectsDropped} object(s) dropped";
}
