namespace SchemaOps.Cli;

/// <summary>The CLI's exit codes (documented in the README); one place maps errors to them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int ProblemsFound = 1;     // validation failures (validate, or migrate refusing to start)
    public const int Usage = 2;             // bad arguments or bad input files
    public const int Failed = 3;            // a migration or database operation failed
    public const int ConnectionFailed = 4;  // cannot connect or authenticate
    public const int Busy = 5;              // another runner holds the lock, or a lock timeout
    public const int Canceled = 130;        // Ctrl+C

    public static int For(SchemaOpsException e) => e.Category switch
    {
        _ when e.ErrorId is "ValidationFailed" or "LintFailed" => ProblemsFound,
        _ when e.ErrorId is "HistoryTableShape" or "InvalidHistoryRow" => Failed, // bad data, but in the database, not in the user's input
        SchemaOpsErrorCategory.InvalidArgument or SchemaOpsErrorCategory.InvalidData => Usage,
        SchemaOpsErrorCategory.ObjectNotFound when e.File is not null => Usage, // a location or file that does not exist
        SchemaOpsErrorCategory.ConnectionError or SchemaOpsErrorCategory.AuthenticationError => ConnectionFailed,
        SchemaOpsErrorCategory.ResourceBusy => Busy,
        SchemaOpsErrorCategory.OperationStopped => Canceled,
        _ => Failed,
    };
}
