namespace SchemaOps;

/// <summary>
/// One check of validate. Shaped like every Test-* result (Name, Passed, Expected, Actual, Detail) so a
/// Pester suite can assert `| Where-Object { -not $_.Passed } | Should -BeNullOrEmpty`.
/// </summary>
public sealed class ValidationResult
{
    public string Name { get; init; } = "";
    public bool Passed { get; init; }
    public ValidationKind Kind { get; init; }
    public MigrationVersion? Version { get; init; }
    public string Script { get; init; } = "";
    public string? Expected { get; init; }
    public string? Actual { get; init; }
    public string Detail { get; init; } = "";

    public override string ToString() => Passed ? $"{Name}: ok" : $"{Name}: {Kind} - {Detail}";
}
