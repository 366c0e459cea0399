using Npgsql;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Cli.Tests;

/// <summary>One throwaway PostgreSQL for the CLI tests; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public EphemeralPostgres Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EphemeralPostgres.StartAsync();
    public async Task DisposeAsync() => await Server.DisposeAsync();

    public async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var conn = new NpgsqlConnection(Server.ConnectionString(database));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
