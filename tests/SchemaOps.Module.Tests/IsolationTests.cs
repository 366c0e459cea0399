using System.Reflection;
using SchemaOps.Commands;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Module.Tests;

/// <summary>
/// Proves the dependency isolation on the built module folder: the engine loaded through EngineLoadContext
/// runs a real migration, with the Npgsql from Dependencies/ (not the default context's), while the output
/// objects it emits are the default context's types, as PowerShell needs.
/// </summary>
public class IsolationTests
{
    private static readonly string Dependencies = Path.Combine(ModuleContractTests.Root, "out", "build", "Dependencies");

    [Fact]
    public async Task The_engine_runs_a_real_migration_with_the_Npgsql_from_Dependencies()
    {
        var context = new EngineLoadContext(Dependencies);
        var engine = context.LoadFromAssemblyName(new AssemblyName("SchemaOps.Engine"));
        Assert.Equal(Path.Combine(Dependencies, "SchemaOps.Engine.dll"), engine.Location);
        Assert.NotSame(typeof(Engine.Operations.MigrateOperation).Assembly, engine);

        await using var pg = await EphemeralPostgres.StartAsync(); // the default context's engine only hosts the server
        var database = await pg.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("schemaops-isolation-").FullName;
        File.WriteAllText(Path.Combine(folder, "V1__isolated.sql"), "CREATE TABLE isolated (id int);");
        try
        {
            // Everything below is the isolated engine's own types, reached by reflection as the cmdlets' JIT would.
            var target = engine.GetType("SchemaOps.Engine.Connections.ConnectionTarget")!.GetMethod("Parse")!
                .Invoke(null, [pg.ConnectionString(database), null, null]);
            var settingsType = engine.GetType("SchemaOps.Engine.Operations.MigrationSettings")!;
            var settings = Activator.CreateInstance(settingsType)!;
            settingsType.GetProperty("Locations")!.SetValue(settings, new List<string> { folder });
            var request = Activator.CreateInstance(engine.GetType("SchemaOps.Engine.Operations.MigrationRequest")!, target, settings)!;
            var sink = new ListSink();
            var run = (Task)engine.GetType("SchemaOps.Engine.Operations.MigrateOperation")!.GetMethod("MigrateAsync")!
                .Invoke(null, [request, sink, CancellationToken.None])!;
            await run;

            var result = Assert.IsType<MigrationResult>(Assert.Single(sink.Objects)); // the default context's Contracts type
            Assert.Equal(MigrationOutcome.Applied, result.Outcome);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var npgsql = Assert.Single(context.Assemblies, a => a.GetName().Name == "Npgsql");
        Assert.Equal(Path.Combine(Dependencies, "Npgsql.dll"), npgsql.Location);
        Assert.NotSame(typeof(Npgsql.NpgsqlConnection).Assembly, npgsql);
        Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "SchemaOps.Contracts");
    }

    [Fact]
    public void The_module_root_holds_only_the_cmdlets_and_the_contracts()
    {
        var root = Path.Combine(ModuleContractTests.Root, "out", "build");
        Assert.Equal(["SchemaOps.Contracts.dll", "SchemaOps.dll"], Directory.GetFiles(root, "*.dll").Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(Dependencies, "Npgsql.dll")));
    }

    [Fact]
    public void No_cmdlet_class_names_an_engine_type_outside_method_bodies()
    {
        // PowerShell loads the cmdlet classes before the engine's load context is hooked up; a field, property
        // or signature of an engine (or Npgsql) type would make that load fail. Method bodies are fine: they
        // are compiled when first run, after import.
        static bool Foreign(Type t) => t.Assembly.GetName().Name is "SchemaOps.Engine" or "Npgsql"
            || t.IsGenericType && t.GetGenericArguments().Any(Foreign) || t.HasElementType && Foreign(t.GetElementType()!);
        const System.Reflection.BindingFlags All = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic |
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly;
        var cmdletClasses = CmdletMetadata.Assembly.GetTypes().Where(t => typeof(System.Management.Automation.Cmdlet).IsAssignableFrom(t));
        var offenders = new List<string>();
        foreach (var type in cmdletClasses)
        {
            offenders.AddRange(type.GetFields(All).Where(f => Foreign(f.FieldType)).Select(f => $"{type.Name}.{f.Name} (field)"));
            offenders.AddRange(type.GetProperties(All).Where(p => Foreign(p.PropertyType)).Select(p => $"{type.Name}.{p.Name} (property)"));
            offenders.AddRange(type.GetMethods(All).Where(m => Foreign(m.ReturnType) || m.GetParameters().Any(p => Foreign(p.ParameterType)))
                .Select(m => $"{type.Name}.{m.Name} (signature)"));
        }
        Assert.Empty(offenders);
    }

    private sealed class ListSink : IOperationSink
    {
        public List<object> Objects { get; } = [];
        public void WriteObject(object item) => Objects.Add(item);
        public void WriteProgress(ProgressRecordInfo progress) { }
        public void WriteVerbose(string message) { }
        public void WriteWarning(string message) { }
        public bool ShouldProcess(string target, string action) => true;
    }
}
