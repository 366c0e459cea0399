using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Commands;

/// <summary>
/// The throwaway servers New-EphemeralDatabase hands out belong to the runspace that asked: Remove-EphemeralDatabase
/// sees only its own runspace's servers, and a runspace that closes takes its servers with it (a pwsh session that
/// ends, a Pester run's runspace, a job) instead of leaving them running until the process exits.
/// </summary>
internal static class SessionServers
{
    private static readonly ConcurrentDictionary<Guid, bool> Watched = new();

    /// <summary>The current runspace's id, watched so its servers go when it closes. Call on the pipeline thread.</summary>
    public static Guid Owner()
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is null) return Guid.Empty;
        if (Watched.TryAdd(runspace.InstanceId, true)) runspace.StateChanged += OnStateChanged;
        return runspace.InstanceId;
    }

    private static void OnStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is not Runspace runspace || e.RunspaceStateInfo.State is not (RunspaceState.Closing or RunspaceState.Broken)) return;
        if (!Watched.TryRemove(runspace.InstanceId, out _)) return;
        runspace.StateChanged -= OnStateChanged;
        // Blocking on purpose: the runspace is going away, and nothing may outlive it.
        EphemeralDatabaseOperation.RemoveAllAsync(runspace.InstanceId).GetAwaiter().GetResult();
    }
}
