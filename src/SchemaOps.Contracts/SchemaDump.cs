namespace SchemaOps;

/// <summary>
/// A schema file written as dbmate writes db/schema.sql: pg_dump's schema-only SQL, then the applied versions
/// (dbmate's history only). What a team commits beside its migrations, to review and diff.
/// </summary>
public sealed class SchemaDump
{
    public string Path { get; init; } = "";
    /// <summary>user@host:port/database (never a password).</summary>
    public string Database { get; init; } = "";
    /// <summary>The schemas dumped (-Schema, else the URL's search_path, as dbmate); empty: all of them.</summary>
    public IReadOnlyList<string> Schemas { get; init; } = [];
    /// <summary>The applied versions listed at its end (dbmate's history only; 0 for the others).</summary>
    public int Versions { get; init; }
    /// <summary>The highest migration version in effect when it was dumped.</summary>
    public MigrationVersion? MigrationVersion { get; init; }
    public long SizeBytes { get; init; }
    /// <summary>False when the file already held exactly this text (it was left untouched).</summary>
    public bool Changed { get; init; }
    public int PgDumpVersion { get; init; }
    public long DurationMilliseconds { get; init; }

    public override string ToString() => Path;
}
