namespace SchemaOps.Engine.Ephemeral;

/// <summary>
/// Clusters (and half-made templates) whose owning process is gone, killed without a chance to clean up: their
/// server stopped and their folder deleted by the next process that starts a cluster or sweeps leftovers.
/// </summary>
internal static class StaleClusters
{
    /// <summary>Stops and deletes the clusters of owners that are gone (killed without a chance to clean up), wherever they may live.</summary>
    public static void Remove(string? alsoIn = null)
    {
        foreach (var known in EphemeralStorage.KnownBaseDirectories().Append(alsoIn).OfType<string>().Distinct())
            try
            {
                if (Directory.Exists(known)) RemoveIn(known);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours, or going away under us: the next start tries again.
            }
    }

    private static void RemoveIn(string baseDir)
    {
        foreach (var dir in Directory.GetDirectories(baseDir))
        {
            var name = Path.GetFileName(dir);
            if (!(name.StartsWith("cluster-") || name.StartsWith("staging-"))) continue;
            var parts = name.Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[1], out var ownerPid) || Unix.IsAlive(ownerPid)) continue;
            var pidFile = Path.Combine(dir, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var postmaster) && Unix.IsAlive(postmaster))
            {
                Unix.Signal(postmaster, Unix.SIGQUIT);
                for (var i = 0; i < 100 && Unix.IsAlive(postmaster); i++) Thread.Sleep(50);
                // A loaded machine can take longer than that: a server still writing files would undo the delete.
                if (Unix.IsAlive(postmaster)) Unix.Signal(postmaster, Unix.SIGKILL);
                for (var i = 0; i < 40 && Unix.IsAlive(postmaster); i++) Thread.Sleep(50);
            }
            // Its last backends may still be removing files of their own: delete until the folder is gone.
            for (var attempt = 0; attempt < 5 && Directory.Exists(dir); attempt++)
            {
                if (attempt > 0) Thread.Sleep(100);
                ClusterFolder.DeleteQuietly(dir);
            }
        }
    }
}
