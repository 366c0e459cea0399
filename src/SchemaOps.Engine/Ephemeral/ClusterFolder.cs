namespace SchemaOps.Engine.Ephemeral;

/// <summary>The folders of throwaway clusters: the base folder they live in, and each cluster's copy of the template, owned by the server's user.</summary>
internal static class ClusterFolder
{
    /// <summary>
    /// Creates the base folder, searchable but not listable by others (the server's OS user must reach its
    /// cluster inside). Setting the mode fails unless the folder is ours, so a folder planted by another user
    /// is refused instead of used.
    /// </summary>
    public static void PrepareBase(string baseDir)
    {
        try
        {
            Directory.CreateDirectory(baseDir);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(baseDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SchemaOpsException(ErrorCatalog.EphemeralFolderUnusable,
                $"cannot use {baseDir} for throwaway PostgreSQL clusters ({e.Message}); point {EphemeralStorage.OverrideVariable} at a folder of your own", baseDir);
        }
    }

    /// <summary>
    /// The cluster's folder: a copy of the template's data folder, owned by the server's user, and our
    /// passfile. A failed copy (a full disk, say) leaves no half cluster behind.
    /// </summary>
    public static void LayOut(string templateData, string directory, string password, (int, int)? runAs)
    {
        try
        {
            Directory.CreateDirectory(directory);
            if (runAs is { } owner) Unix.Chown(directory, owner);
            CopyTree(templateData, Path.Combine(directory, "data"), runAs);
            // Ours, not the server user's: only this user (and root) can read the password.
            using var writer = new StreamWriter(PrivateFile.Create(Path.Combine(directory, "pgpass")));
            writer.Write($"*:*:*:{EphemeralPostgres.SuperUser}:{password}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || e is AggregateException { InnerException: IOException or UnauthorizedAccessException })
        {
            DeleteQuietly(directory);
            var cause = e is AggregateException a ? a.InnerException! : e;
            throw new SchemaOpsException(ErrorCatalog.EphemeralFolderUnusable,
                $"cannot create a throwaway cluster in {directory} ({cause.Message}); free some space or point {EphemeralStorage.OverrideVariable} at another folder", directory);
        }
    }

    /// <summary>
    /// Copies a data folder (about 2,000 files), files in parallel, each given to <paramref name="owner"/>
    /// as it is made; the folder itself owner-only, as PostgreSQL demands.
    /// </summary>
    private static void CopyTree(string from, string to, (int, int)? owner)
    {
        Directory.CreateDirectory(to);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (owner is { } o) Unix.Chown(to, o);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, dir));
            Directory.CreateDirectory(target);
            if (owner is { } d) Unix.Chown(target, d);
        }
        Parallel.ForEach(Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories), file =>
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            if (owner is { } f) Unix.Chown(target, f);
        });
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
