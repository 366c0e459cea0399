using System.Reflection;
using System.Runtime.Loader;

namespace SchemaOps.Commands;

/// <summary>
/// Where the engine and everything it depends on (Npgsql, Microsoft.Extensions.*) load: a private context
/// over the module's Dependencies/ folder, so another module's Npgsql (SimplySql ships Npgsql 8) or a
/// different Microsoft.Extensions.* never collides with ours. SchemaOps.Contracts is deliberately not
/// loaded here: its types are what PowerShell formats and binds, so they must be the default context's.
/// </summary>
public sealed class EngineLoadContext : AssemblyLoadContext
{
    private static readonly string[] SharedWithPowerShell = ["SchemaOps.Contracts"];
    private readonly string _dependencies;

    public EngineLoadContext(string dependenciesFolder) : base("SchemaOps.Engine", isCollectible: false)
    {
        _dependencies = dependenciesFolder;
    }

    /// <summary>The Dependencies/ folder beside the cmdlet assembly.</summary>
    public static string DefaultFolder => Path.Combine(Path.GetDirectoryName(typeof(EngineLoadContext).Assembly.Location)!, "Dependencies");

    protected override Assembly? Load(AssemblyName name)
    {
        if (SharedWithPowerShell.Contains(name.Name)) return null; // the default context's copy
        var path = Path.Combine(_dependencies, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
