namespace SchemaOps.Engine;

/// <summary>
/// Shorthands for the engine's errors, so each call site reads as one line; the kind (from <see cref="ErrorCatalog"/>)
/// decides category and exit code. Bad input is reported on one line whatever it held: control characters from a file
/// name, a config value or a parameter are shown escaped.
/// </summary>
internal static class Errors
{
    /// <summary>Bad input in a file or a config: message, file and version escaped.</summary>
    public static SchemaOpsException Input(ErrorKind kind, string message, string? file = null, int? line = null, string? version = null)
        => new(kind, Printable.Escape(message), file is null ? null : Printable.Escape(file), line, version is null ? null : Printable.Escape(version));

    /// <summary>A bad parameter value: message and target escaped.</summary>
    public static SchemaOpsException Parameter(ErrorKind kind, string message, string? target = null)
        => new(kind, Printable.Escape(message), target: target is null ? null : Printable.Escape(target));

    /// <summary>An operation refused in the state it found (the message is SchemaOps' own words and names).</summary>
    public static SchemaOpsException Refusal(ErrorKind kind, string message, string? version = null)
        => new(kind, message, version: version);
}
