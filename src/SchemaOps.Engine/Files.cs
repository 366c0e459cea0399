namespace SchemaOps.Engine;

/// <summary>Files only their owner can read (0600): backups, passfiles, and every output file (see <see cref="AtomicFile"/>).</summary>
internal static class PrivateFile
{
    public static FileStream Create(string path, FileMode mode = FileMode.CreateNew) => OperatingSystem.IsWindows()
        ? new FileStream(path, mode, FileAccess.Write) // the user's profile folder's ACLs apply
        : new FileStream(path, new FileStreamOptions { Mode = mode, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
}

/// <summary>
/// Output files written whole or not at all: to a temporary name, then renamed into place, so a reader never
/// sees half a file. Owner-only, like backups: plans hold placeholder values, snapshots and reports a schema.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>; returns the full path. A failure is of <paramref name="failure"/>, naming the file.</summary>
    public static string Write(string path, byte[] bytes, ErrorKind failure, string what)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = PrivateFile.Create(temporary, FileMode.Create))
                stream.Write(bytes);
            File.Move(temporary, full, overwrite: true);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary)) File.Delete(temporary); // (in a folder that is missing there is none)
            throw new SchemaOpsException(failure, $"cannot write {what} to {full}: {e.Message}", full, inner: e);
        }
    }
}
