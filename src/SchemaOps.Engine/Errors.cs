namespace SchemaOps.Engine;

/// <summary>Shorthands for the engine's errors, so each call site reads as one line.</summary>
internal static class Errors
{
    public static SchemaOpsException InvalidData(string id, string message, string? file = null, int? line = null, string? version = null)
        => new(id, SchemaOpsErrorCategory.InvalidData, message, file, line, version);

    public static SchemaOpsException InvalidArgument(string id, string message, string? target = null)
        => new(id, SchemaOpsErrorCategory.InvalidArgument, message, target: target);

    public static SchemaOpsException InvalidOperation(string id, string message, string? version = null)
        => new(id, SchemaOpsErrorCategory.InvalidOperation, message, version: version);
}
