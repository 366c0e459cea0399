namespace SchemaOps.Engine.Connections;

/// <summary>
/// The environment of a child process SchemaOps points at one database (pg_dump, psql, a throwaway server's
/// tools, `ephemeral -- CMD`): the caller's own settings for reaching another database must not leak into it.
/// </summary>
public static class LibpqEnvironment
{
    /// <summary>
    /// How every program SchemaOps starts is started (PostgreSQL's tools, even for `--version`, and a user's command):
    /// no shell, the arguments as a list (nothing to quote), the caller's connection settings and credentials removed.
    /// </summary>
    public static System.Diagnostics.ProcessStartInfo StartInfo(string file, IEnumerable<string> args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Clear(psi.Environment);
        return psi;
    }

    /// <summary>
    /// Every libpq variable (PGHOST, PGSSLMODE, PGOPTIONS, PGSERVICE, PGPASSWORD, ...: all start with PG), and the
    /// URLs and credentials SchemaOps, Flyway and dbmate read (FLYWAY_URL would win over the DATABASE_URL given).
    /// </summary>
    private static void Clear(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(IsConnectionVariable).ToList()) environment.Remove(name);
    }

    private static bool IsConnectionVariable(string name) =>
        name.StartsWith("PG", StringComparison.OrdinalIgnoreCase)
        || name.ToUpperInvariant() is "DATABASE_URL" or "FLYWAY_URL" or "FLYWAY_USER" or "FLYWAY_PASSWORD";
}
