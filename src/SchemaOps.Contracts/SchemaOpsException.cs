namespace SchemaOps;

/// <summary>What kind of failure an error is; front ends map it (PowerShell ErrorCategory, CLI exit code).</summary>
public enum SchemaOpsErrorCategory
{
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    ResourceBusy,
    OperationTimeout,
    OperationStopped,
    InvalidOperation,
    /// <summary>An output file could not be written.</summary>
    WriteError,
    /// <summary>A defect: nothing the user did.</summary>
    NotSpecified,
}

/// <summary>
/// Every error the engine raises on purpose, of a kind from <see cref="ErrorCatalog"/>: its id is stable (no variable
/// text) so scripts can catch by id; the message names the file, line, version or table involved and never holds a secret.
/// </summary>
public class SchemaOpsException : Exception
{
    public SchemaOpsException(ErrorKind kind, string message,
        string? file = null, int? line = null, string? version = null, Exception? inner = null, string? target = null)
        : base(message, inner)
    {
        Kind = kind;
        File = file;
        Line = line;
        Version = version;
        Target = target;
    }

    public ErrorKind Kind { get; }
    public string ErrorId => Kind.Id;
    public SchemaOpsErrorCategory Category => Kind.Category;
    public string? File { get; }
    public int? Line { get; }
    public string? Version { get; }
    /// <summary>What else the error is about when it is not a file or a version: a database (user@host:port/db), an id, a pattern. Never a secret.</summary>
    public string? Target { get; }

    /// <summary>The object the error is about, most specific first: the file, the version, else the target.</summary>
    public string? TargetObject => File ?? Version ?? Target;
}
