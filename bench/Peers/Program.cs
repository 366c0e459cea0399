// usage: Peers dbup|evolve CONNECTION_STRING FOLDER
// DbUp: every script in FOLDER by name, one transaction per script (WithTransactionPerScript; DbUp's default is none),
// journal in public.schemaversions. Evolve: V<version>__<desc>.sql (Flyway's names), one transaction per script
// (TransactionKind.CommitEach, its default), history in public.changelog.
using DbUp;
using EvolveDb;
using Npgsql;

var (tool, connectionString, folder) = (args[0], args[1], args[2]);
switch (tool)
{
    case "dbup":
        var result = DeployChanges.To.PostgresqlDatabase(connectionString)
            .WithScriptsFromFileSystem(folder)
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful) { Console.Error.WriteLine(result.Error); return 1; }
        return 0;
    case "evolve":
        using (var connection = new NpgsqlConnection(connectionString))
        {
            var evolve = new Evolve(connection, _ => { })
            {
                Locations = [folder],
                IsEraseDisabled = true,
                TransactionMode = EvolveDb.Configuration.TransactionKind.CommitEach,
            };
            evolve.Migrate();
        }
        return 0;
    default:
        Console.Error.WriteLine($"unknown tool {tool}");
        return 2;
}
