namespace SchemaOps.Engine.Sql;

/// <summary>
/// Which statements change the session a script runs in beyond its transaction: SET (not SET LOCAL, TRANSACTION or
/// CONSTRAINTS), RESET, DISCARD, and anything calling set_config (pg_dump's baseline calls set_config('search_path', '',
/// false), and a DO block may). Such a change would outlive the script: carried into the next migrations on a direct
/// connection, and behind a transaction pooler into the application's next transaction on that server process.
/// Read from the text alone, so a function that sets a value deep inside is not seen.
/// </summary>
public static class SessionRules
{
    /// <summary>What puts a session back after such a script, before the session's own settings are made again.</summary>
    public static IReadOnlyList<string> Reset { get; } = ["RESET ALL", "RESET ROLE"];

    public static bool ChangesSession(SqlStatement s) => s.Words.Count > 0 && (
        s.Words[0] is "RESET" or "DISCARD"
        || s.Words[0] == "SET" && !(s.Words.Count > 1 && s.Words[1] is "LOCAL" or "TRANSACTION" or "CONSTRAINTS")
        || s.Text.Contains("set_config", StringComparison.OrdinalIgnoreCase));
}
