namespace SchemaOps.Engine.History;

/// <summary>A schema-qualified table name, quoted the way Flyway quotes it.</summary>
public sealed record HistoryTableName(string Schema, string Table)
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    /// <summary>"schema"."table": used in SQL and, exactly like this, for Flyway's advisory lock key.</summary>
    public string Quoted => Quote(Schema) + "." + Quote(Table);

    public override string ToString() => Schema + "." + Table;
}
