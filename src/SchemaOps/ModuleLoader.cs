using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace SchemaOps.Commands;

/// <summary>
/// Runs on Import-Module / Remove-Module. The cmdlets reference SchemaOps.Engine, which is not beside them
/// but in Dependencies/: when the runtime asks for it, it comes from the engine's own load context.
/// (Microsoft's "resolving PowerShell module assembly dependency conflicts" pattern.)
/// </summary>
public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly Lazy<EngineLoadContext> Context = new(() => new EngineLoadContext(EngineLoadContext.DefaultFolder));

    public void OnImport()
    {
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
        SweepLeftovers();
    }

    /// <summary>What a killed SchemaOps process of this user left behind goes first, as the CLI does. Its own method: the engine loads only once the resolver is in place.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void SweepLeftovers() => Engine.Leftovers.Sweep();

    public void OnRemove(PSModuleInfo module) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "SchemaOps.Engine" ? Context.Value.LoadFromAssemblyName(name) : null;
}
