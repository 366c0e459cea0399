using SchemaOps.Engine.History;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Planning;

/// <summary>A migration as the planner sees it: the local script, the history row, or both, and its state.</summary>
public sealed record MigrationEntry(MigrationScript? Local, AppliedMigration? Applied, MigrationState State)
{
    public MigrationKind Kind => Applied?.Kind ?? Local!.Kind;
    public string? VersionText => Applied?.VersionText ?? Local?.Version?.Text;
    public MigrationVersion? Version => Local?.Version ?? Applied?.Version;
    /// <summary>The version as output objects carry it: spelled as the history has it once applied.</summary>
    public MigrationVersion? ShownVersion => Applied?.Version ?? Local?.Version;
    public string Description => Applied?.Description ?? Local!.Description;
    public string Script => Applied?.Script ?? Local!.Script;

    /// <summary>"V2 add users" / "R user view": how messages name it.</summary>
    public string Label => Labels.Of(Kind, VersionText, Description);

    public MigrationInfo ToInfo() => new()
    {
        Version = ShownVersion,
        Description = Description,
        Kind = Kind,
        Type = Applied?.Type ?? HistoryTypes.Sql,
        Script = Script,
        Checksum = Applied is null ? Local!.Checksum : Applied.Checksum,
        State = State,
        InstalledRank = Applied?.InstalledRank,
        InstalledOn = Applied?.InstalledOn,
        InstalledBy = Applied?.InstalledBy,
        ExecutionTime = Applied?.ExecutionTime,
        LocalPath = Local?.FullPath,
    };
}
