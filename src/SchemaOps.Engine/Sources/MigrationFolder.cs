using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>The files of a migration location, for every layout: a missing folder is one clear error.</summary>
internal static class MigrationFolder
{
    public static IEnumerable<string> Files(string location, SearchOption depth)
    {
        if (!Directory.Exists(location))
            throw new SchemaOpsException("LocationNotFound", SchemaOpsErrorCategory.ObjectNotFound,
                $"migration location '{location}' does not exist or is not a folder", file: location);
        return Directory.EnumerateFiles(location, "*", depth).Order(StringComparer.Ordinal);
    }

    /// <summary>Flyway spells a folder location "filesystem:path"; the prefix is accepted for every layout.</summary>
    public static string StripFilesystemPrefix(string location) =>
        location.StartsWith("filesystem:", StringComparison.OrdinalIgnoreCase) ? location["filesystem:".Length..] : location;

    /// <summary>The files directly in the locations whose names match, in name order; the others are skipped with a note.</summary>
    public static IEnumerable<(string Path, Match Name)> Matching(IReadOnlyList<string> locations, Regex name, string expected, Action<string>? verbose)
    {
        foreach (var location in locations)
            foreach (var path in Files(StripFilesystemPrefix(location), SearchOption.TopDirectoryOnly))
            {
                var match = name.Match(System.IO.Path.GetFileName(path));
                if (match.Success) yield return (path, match);
                else verbose?.Invoke($"skipping {path}: not {expected}");
            }
    }
}
