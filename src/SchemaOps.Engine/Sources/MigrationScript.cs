namespace SchemaOps.Engine.Sources;

/// <summary>One migration file found in a location, read and checksummed.</summary>
public sealed record MigrationScript(
    MigrationKind Kind,
    MigrationVersion? Version,
    string Description,
    /// <summary>Path relative to its location with '/' separators: what the history table's script column holds.</summary>
    string Script,
    string FullPath,
    string Text,
    int Checksum,
    ScriptConfig Config)
{
    /// <summary>How errors and messages name the file: the location as the user gave it plus the script path.</summary>
    public string DisplayPath { get; init; } = Script;

    /// <summary>The file line <see cref="Text"/> starts on: 1 for a whole file, later for a section (dbmate's up/down).</summary>
    public int FirstLine { get; init; } = 1;

    /// <summary>The raw file's checksum when <see cref="Checksum"/> was taken after placeholder replacement (repeatables); else null.</summary>
    public int? RawChecksum { get; init; }

    /// <summary>Set when a placeholder in the script has no value: raised when the script is about to run.</summary>
    public SchemaOpsException? PlaceholderProblem { get; init; }

    /// <summary>Whether a history checksum matches this script: its checksum, or the raw file's (Flyway accepts both for repeatables).</summary>
    public bool Matches(int? applied) => applied == Checksum || RawChecksum is not null && applied == RawChecksum;

    public bool IsEmpty => string.IsNullOrWhiteSpace(Text);

    /// <summary>"V2 add users" / "R user view": how messages name a migration.</summary>
    public string Label => Labels.Of(Kind, Version?.Text, Description);

    public override string ToString() => DisplayPath;
}

/// <summary>One spelling of a migration's name in messages, for scripts and history rows alike.</summary>
public static class Labels
{
    public static string Of(MigrationKind kind, string? version, string description) =>
        (kind == MigrationKind.Repeatable ? "R" : "V" + version) + (description.Length > 0 ? " " + description : "");
}
