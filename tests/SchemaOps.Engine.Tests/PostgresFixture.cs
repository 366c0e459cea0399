using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Engine.Tests;

/// <summary>One throwaway PostgreSQL for the whole test run; each test creates its own database in it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public EphemeralPostgres Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EphemeralPostgres.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A new empty database; returns its Npgsql connection string.</summary>
    public async Task<string> NewDatabaseAsync() => Server.ConnectionString(await Server.CreateDatabaseAsync());
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
