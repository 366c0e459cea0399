using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// The files of a migration location, for every layout: a missing folder, a folder that cannot be read, a
/// symbolic link that loops back, and a script name holding a control character are each one clear error.
/// </summary>
internal static partial class MigrationFolder
{
    public static List<string> Files(string location, SearchOption depth)
    {
        if (!Directory.Exists(location))
            throw new SchemaOpsException(ErrorCatalog.LocationNotFound,
                $"migration location '{location}' does not exist or is not a folder", file: location);
        var files = new List<string>();
        Walk(location, depth == SearchOption.AllDirectories, files, onPath: [], visited: []);
        foreach (var file in files) RefuseControlCharacters(location, file);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>The same, for tab completion: a folder the scan would refuse offers nothing.</summary>
    public static IEnumerable<string> FilesOrNone(string location)
    {
        try
        {
            return Files(location, SearchOption.AllDirectories);
        }
        catch (SchemaOpsException)
        {
            return [];
        }
    }

    /// <summary>
    /// Each real folder once (a folder reached again through another link is passed over); a link back to a
    /// folder it sits in would never end, so it is an error naming it. Hidden folders (a dot name; the attribute on
    /// Windows) are passed over as Flyway passes them over (flyway#1807): a Kubernetes ConfigMap mounted as the
    /// migration folder holds each script twice, as a link beside the real file in "..2026_11_27_06_00_00.1234/"
    /// and through "..data/", and a .git or .archive folder's scripts were never Flyway's to apply.
    /// </summary>
    private static void Walk(string folder, bool recurse, List<string> files, HashSet<string> onPath, HashSet<string> visited)
    {
        var real = RealPath(folder);
        if (onPath.Contains(real))
            throw Errors.Input(ErrorCatalog.MigrationFolderLoop,
                $"{folder} is a symbolic link back to {real}, a folder it is in: the migration folders would never end. Remove the link",
                folder);
        if (!visited.Add(real)) return;
        onPath.Add(real);
        try
        {
            files.AddRange(Directory.EnumerateFiles(folder));
            if (recurse)
                foreach (var sub in Directory.EnumerateDirectories(folder, "*", VisibleFolders).Order(StringComparer.Ordinal))
                    Walk(sub, recurse, files, onPath, visited);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Errors.Input(ErrorCatalog.LocationUnreadable, $"{folder}: the migration folder cannot be read: {e.Message}", folder);
        }
        onPath.Remove(real);
    }

    private static readonly EnumerationOptions VisibleFolders = new() { AttributesToSkip = FileAttributes.Hidden, IgnoreInaccessible = false };

    /// <summary>
    /// A newline in a script name would become lines of SQL in a dry-run plan and text of the history row:
    /// names of scripts (and the folders they are in) with control characters are refused, shown escaped.
    /// </summary>
    private static void RefuseControlCharacters(string location, string file)
    {
        if (!file.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) && !file.EndsWith(".sql.conf", StringComparison.OrdinalIgnoreCase)) return;
        var relative = file.AsSpan(location.Length);
        if (relative.IndexOfAnyInRange('\u0000', '\u001F') >= 0 || relative.IndexOfAnyInRange('\u007F', '\u009F') >= 0) // char.IsControl
            throw Errors.Input(ErrorCatalog.ControlCharacterInName,
                $"{file}: a migration file name (or folder name) holding a control character is refused: rename it", file);
    }

    /// <summary>
    /// A listed file's path below the location it was listed from: the listing joined the two, so this takes the
    /// location off again (Path.GetRelativePath resolves both to full paths, for every file).
    /// </summary>
    internal static string Relative(string location, string file) => file[location.Length..].TrimStart('/', Path.DirectorySeparatorChar);

    private static string RealPath(string folder)
    {
        if (!OperatingSystem.IsWindows())
        {
            var resolved = realpath(folder, IntPtr.Zero);
            if (resolved != IntPtr.Zero)
                try
                {
                    return Marshal.PtrToStringUTF8(resolved)!;
                }
                finally
                {
                    free(resolved);
                }
        }
        var info = new DirectoryInfo(folder);
        return (info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName : null) ?? info.FullName;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);

    /// <summary>Flyway spells a folder location "filesystem:path"; the prefix is accepted for every layout.</summary>
    public static string StripFilesystemPrefix(string location) =>
        location.StartsWith("filesystem:", StringComparison.OrdinalIgnoreCase) ? location["filesystem:".Length..] : location;

    /// <summary>The files directly in the locations whose names match, in name order; the others are skipped with a note.</summary>
    public static IEnumerable<(string Path, Match Name)> Matching(MigrationFiles files, Regex name, string expected, Action<string>? verbose)
    {
        foreach (var (_, topLevel) in files.TopLevel)
            foreach (var path in topLevel)
            {
                var match = name.Match(System.IO.Path.GetFileName(path));
                if (match.Success) yield return (path, match);
                else verbose?.Invoke($"skipping {Printable.Escape(path)}: not {expected}");
            }
    }
}
