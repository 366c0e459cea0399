namespace SchemaOps;

/// <summary>One migration as a rehearsal saw it: how long it took to apply, undo and re-apply, and what was found.</summary>
public sealed class RehearsalStep
{
    public MigrationVersion? Version { get; init; }
    public string Description { get; init; } = "";
    public MigrationKind Kind { get; init; }
    public string Script { get; init; } = "";
    /// <summary>Seconds of the first apply (null: not applied, e.g. after an earlier failure).</summary>
    public double? ApplySeconds { get; init; }
    /// <summary>Seconds of its undo script (null: not undone: no undo script, or below one that has none).</summary>
    public double? UndoSeconds { get; init; }
    public double? ReapplySeconds { get; init; }
    public bool HasUndo { get; init; }
    /// <summary>Applying it took longer than the rehearsal's slow threshold.</summary>
    public bool Slow { get; init; }
    public int LintFindings { get; init; }

    public override string ToString() => $"{Version?.Text ?? "R"} {Description}: {ApplySeconds:0.000} s{(Slow ? " SLOW" : "")}";
}

/// <summary>One check of a rehearsal (lint, apply, slow migrations, validate, undo, undo restores, re-apply, re-apply reproduces).</summary>
public sealed class RehearsalCheck
{
    public string Name { get; init; } = "";
    public bool Passed { get; init; }
    /// <summary>Not run: an earlier step failed, or there was nothing to check (no undo scripts).</summary>
    public bool Skipped { get; init; }
    public string Detail { get; init; } = "";
    /// <summary>One line per problem (lint findings, slow migrations, schema differences, errors).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
    public double Seconds { get; init; }

    public override string ToString() => $"{(Skipped ? "skipped" : Passed ? "ok" : "FAILED")} {Name}: {Detail}";
}

/// <summary>Invoke-MigrationRehearsal's result: a verdict, the checks, one step per migration, and what the comparisons found.</summary>
public sealed class RehearsalResult
{
    /// <summary>The migration folders rehearsed.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];
    /// <summary>Where it ran (never with a password): a throwaway server, or the database given.</summary>
    public string Target { get; init; } = "";
    public MigrationLayout Layout { get; init; }
    public bool Passed { get; init; }
    public string Verdict => Passed ? "PASSED" : "FAILED";
    public IReadOnlyList<RehearsalCheck> Checks { get; init; } = [];
    public IReadOnlyList<RehearsalStep> Migrations { get; init; } = [];
    public IReadOnlyList<LintFinding> LintFindings { get; init; } = [];
    /// <summary>What the undo left different from the state before the migrations (must be none).</summary>
    public IReadOnlyList<SchemaDifference> UndoDifferences { get; init; } = [];
    /// <summary>What the re-apply built differently from the first apply (must be none).</summary>
    public IReadOnlyList<SchemaDifference> ReapplyDifferences { get; init; } = [];
    public double SlowThresholdSeconds { get; init; }
    public double Seconds { get; init; }
    public IReadOnlyList<string> Reports { get; init; } = [];

    public override string ToString() => $"rehearsal {Verdict}: {Checks.Count(c => c.Passed && !c.Skipped)}/{Checks.Count} checks passed, {Migrations.Count} migrations";
}
