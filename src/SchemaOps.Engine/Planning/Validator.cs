using SchemaOps.Engine.History;

namespace SchemaOps.Engine.Planning;

/// <summary>
/// Flyway's validate: every problem, not just the first. Each checked migration yields one passing result
/// or one result per problem found.
/// </summary>
public static class Validator
{
    public static List<ValidationResult> Validate(IReadOnlyList<MigrationEntry> entries, IReadOnlyList<IgnorePattern> ignore,
        bool pendingAllowed, MigrationVersion? baseline)
    {
        var results = new List<ValidationResult>();
        foreach (var e in entries)
        {
            if (e.State is MigrationState.Undone or MigrationState.AboveTarget or MigrationState.Deleted or MigrationState.Superseded
                or MigrationState.BelowBaseline or MigrationState.IgnoredBaseline) continue;
            if (e.Kind is MigrationKind.SchemaCreation or MigrationKind.Baseline or MigrationKind.Undo) continue;
            var problems = Check(e, ignore, pendingAllowed, baseline).ToList();
            results.AddRange(problems.Count > 0 ? problems : [Result(e, ValidationKind.Ok, null, null, PassedOver(e.State) ?? Valid)]);
        }
        return results;
    }

    /// <summary>The detail of a migration that passes with nothing to say.</summary>
    public const string Valid = "valid";

    /// <summary>
    /// Why a migration that would be a problem passes: only ignoreMigrationPatterns lets an applied migration without its
    /// script (missing) or newer than every script (future) through, and a validate report should not call it plain "valid".
    /// </summary>
    private static string? PassedOver(MigrationState state) => state switch
    {
        MigrationState.Missing => "applied, but its script is not in the migration locations: passed over, as ignoreMigrationPatterns asks",
        MigrationState.Future => "applied, and newer than every local script: passed over, as ignoreMigrationPatterns asks",
        _ => null,
    };

    private static IEnumerable<ValidationResult> Check(MigrationEntry e, IReadOnlyList<IgnorePattern> ignore, bool pendingAllowed, MigrationVersion? baseline)
    {
        bool Ignored(string state) => ignore.Any(p => p.Matches(e.Kind, state));

        switch (e.State)
        {
            case MigrationState.Failed or MigrationState.FailedMissing or MigrationState.FailedFuture:
                yield return Result(e, ValidationKind.FailedMigration, "success", "failed",
                    $"{e.Label} failed (history row {e.Applied!.InstalledRank}): fix the database by hand if needed, then run repair");
                yield break;
            case MigrationState.Missing when !Ignored("missing"):
                yield return Result(e, ValidationKind.MissingLocally, e.Script, null,
                    $"{e.Label} was applied but its script is not in the migration locations (applied to database, not resolved locally)");
                yield break;
            case MigrationState.Future when !Ignored("future"):
                yield return Result(e, ValidationKind.FutureMigration, null, e.Script,
                    $"{e.Label} was applied but is newer than every local script (a future migration)");
                yield break;
            case MigrationState.Missing or MigrationState.Future:
                yield break;
            case MigrationState.Ignored when !Ignored("ignored"):
                yield return Result(e, ValidationKind.NotApplied, "applied", "not applied",
                    $"{e.Label} is older than the newest applied migration and was never applied (use -OutOfOrder to apply it)");
                yield break;
            case MigrationState.Pending when !pendingAllowed && !Ignored("pending"):
                yield return Result(e, ValidationKind.NotApplied, "applied", "not applied", $"{e.Label} is resolved locally but not applied to the database");
                yield break;
            case MigrationState.Outdated when !pendingAllowed:
                yield return Result(e, ValidationKind.OutdatedRepeatable, e.Applied!.Checksum?.ToString(), e.Local!.Checksum.ToString(),
                    e.Local.Matches(e.Applied.Checksum)
                        ? $"{e.Label} ran on top of a migration that has since been undone and will be re-applied"
                        : $"{e.Label} changed since it was last applied and will be re-applied");
                yield break;
            case MigrationState.Ignored or MigrationState.Pending or MigrationState.Outdated:
                yield break;
        }

        if (e.Applied is null || e.Local is null || e.Kind != MigrationKind.Versioned) yield break;
        if (baseline is not null && e.Version! <= baseline) yield break;
        var (applied, local) = (e.Applied, e.Local);
        if (applied.Type != HistoryTypes.Sql)
            yield return Result(e, ValidationKind.TypeMismatch, applied.Type, HistoryTypes.Sql,
                $"{e.Label}: type mismatch (applied to database: {applied.Type}, resolved locally: {HistoryTypes.Sql})");
        if (applied.ChecksumKnown && applied.Checksum != local.Checksum)
            yield return Result(e, ValidationKind.ChecksumMismatch, applied.Checksum?.ToString() ?? "null", local.Checksum.ToString(),
                $"{e.Label}: checksum mismatch (applied to database: {applied.Checksum?.ToString() ?? "null"}, resolved locally: {local.Checksum}); " +
                $"{local.DisplayPath} was changed after it was applied: restore it, or run repair if the change is intended");
        if (applied.Description != local.Description)
            yield return Result(e, ValidationKind.DescriptionMismatch, applied.Description, local.Description,
                $"{e.Label}: description mismatch (applied to database: '{applied.Description}', resolved locally: '{local.Description}')");
    }

    private static ValidationResult Result(MigrationEntry e, ValidationKind kind, string? expected, string? actual, string detail) => new()
    {
        Name = e.Label,
        Passed = kind == ValidationKind.Ok,
        Kind = kind,
        Version = e.ShownVersion,
        Script = e.Script,
        Expected = expected,
        Actual = actual,
        Detail = detail,
    };
}
