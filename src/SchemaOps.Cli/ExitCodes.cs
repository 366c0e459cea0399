namespace SchemaOps.Cli;

/// <summary>
/// The CLI's exit codes (documented in the README). An error's code is its kind's <see cref="ExitClass"/>, decided in
/// <see cref="ErrorCatalog"/>; these are the same numbers for the commands that end without an error.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int ProblemsFound = (int)ExitClass.ProblemsFound; // checks ran and found problems (validate, lint, health...)
    public const int Usage = (int)ExitClass.Usage;
    public const int Failed = (int)ExitClass.Failed;
    public const int Canceled = (int)ExitClass.Canceled;
}
