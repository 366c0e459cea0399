namespace SchemaOps.Engine;

/// <summary>
/// Shorthands for the engine's errors, so each call site reads as one line. Bad input is reported on one line
/// whatever it held: control characters from a file name, a config value or a parameter are shown escaped.
/// </summary>
internal static class Errors
{
    public static SchemaOpsException InvalidData(string id, string message, string? file = null, int? line = null, string? version = null)
        => new(id, SchemaOpsErrorCategory.InvalidData, Printable.Escape(message), file is null ? null : Printable.Escape(file), line,
            version is null ? null : Printable.Escape(version));

    public static SchemaOpsException InvalidArgument(string id, string message, string? target = null)
        => new(id, SchemaOpsErrorCategory.InvalidArgument, Printable.Escape(message), target: target is null ? null : Printable.Escape(target));

    public static SchemaOpsException InvalidOperation(string id, string message, string? version = null)
        => new(id, SchemaOpsErrorCategory.InvalidOperation, message, version: version);
}
