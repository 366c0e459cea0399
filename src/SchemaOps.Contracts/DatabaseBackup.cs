namespace SchemaOps;

/// <summary>pg_dump's archive formats SchemaOps writes: custom (one file) or directory (one file per table, dumped in parallel).</summary>
public enum BackupFormat
{
    Custom,
    Directory,
}

/// <summary>A verified backup: where, how big, its SHA-256, how long it took, and the schema it holds.</summary>
public sealed class DatabaseBackup
{
    public string Path { get; init; } = "";
    public BackupFormat Format { get; init; }
    public long SizeBytes { get; init; }
    /// <summary>Of the file; for a directory, of its files' names and hashes in name order.</summary>
    public string Sha256 { get; init; } = "";
    public long DurationMilliseconds { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>user@host:port/database (never a password).</summary>
    public string Database { get; init; } = "";
    public string ServerVersion { get; init; } = "";
    public int PgDumpVersion { get; init; }
    /// <summary>The highest migration version in effect when the backup was taken.</summary>
    public MigrationVersion? MigrationVersion { get; init; }
    /// <summary>Entries in the archive's table of contents (pg_restore --list).</summary>
    public int TocEntries { get; init; }
    /// <summary>The snapshot saved beside the backup (&lt;path&gt;.snapshot.json), for Test-DatabaseBackup.</summary>
    public string SnapshotPath { get; init; } = "";
    /// <summary>The schema and row counts the backup holds: read in the very snapshot pg_dump dumped.</summary>
    public SchemaSnapshot? Snapshot { get; init; }

    public override string ToString() => Path;
}

/// <summary>A test restore: the backup restored into a throwaway database and compared with the snapshot taken with it.</summary>
public sealed class BackupTestResult
{
    public string Backup { get; init; } = "";
    /// <summary>The database the backup was taken of, as user@host:port/database (its snapshot says): not necessarily the one the URL named.</summary>
    public string SourceDatabase { get; init; } = "";
    public bool Passed { get; init; }
    public int DifferenceCount { get; init; }
    public List<SchemaDifference> Differences { get; init; } = [];
    public long RestoreMilliseconds { get; init; }
    /// <summary>The throwaway database it was restored into (dropped afterwards).</summary>
    public string RestoredInto { get; init; } = "";
    public int TablesChecked { get; init; }
    public long RowsChecked { get; init; }

    public override string ToString() => $"{Backup} (of {SourceDatabase}): {(Passed ? "restores cleanly" : $"{DifferenceCount} difference(s)")}";
}

/// <summary>What Restore-Database did: which backup went into which database, and how long it took.</summary>
public sealed class RestoreResult
{
    public string Backup { get; init; } = "";
    public string Database { get; init; } = "";
    /// <summary>True when the database was created for the restore.</summary>
    public bool Created { get; init; }
    /// <summary>True when existing objects were dropped and replaced (-Clean).</summary>
    public bool Replaced { get; init; }
    public long DurationMilliseconds { get; init; }

    public override string ToString() => $"{Backup} -> {Database}";
}
