using System.Management.Automation;

namespace SchemaOps;

/// <summary>
/// A database and its migrations, built once (New-MigrationTarget) and piped into any SchemaOps cmdlet: each
/// property binds by name to the parameter of the same name. The password is kept only in Credential.
/// </summary>
public sealed class MigrationTarget
{
    /// <summary>An Npgsql connection string without the password.</summary>
    public string ConnectionString { get; init; } = "";
    public PSCredential? Credential { get; init; }
    public string[] Path { get; init; } = [];
    public string[]? Schema { get; init; }
    /// <summary>The history table; null: the layout's default.</summary>
    public string? Table { get; init; }
    public MigrationLayout? Layout { get; init; }
    /// <summary>The config environment it came from, if any (binds to -Environment, so its settings follow it).</summary>
    public string? Environment { get; init; }
    /// <summary>user@host:port/database.</summary>
    public string Database { get; init; } = "";

    public override string ToString() => Database;
}
