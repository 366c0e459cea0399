namespace SchemaOps.Engine.Sources;

/// <summary>
/// The files under each migration location, each folder walked once per scan: the layout detection, the layout's
/// reader and the callback scan all read this one listing (a folder of 10,000 migrations took ~30 ms to walk, and
/// was walked three times). Locations are as given, without Flyway's "filesystem:" prefix; files in ordinal order.
/// </summary>
internal sealed class MigrationFiles
{
    private MigrationFiles(IReadOnlyList<(string Location, IReadOnlyList<string> Files)> locations) => Locations = locations;

    public IReadOnlyList<(string Location, IReadOnlyList<string> Files)> Locations { get; }

    /// <summary>
    /// Walks the locations (and their subfolders). A missing location is an error naming it, unless
    /// <paramref name="skipMissing"/> (what reads callbacks only: baseline and clean need no migration folder).
    /// </summary>
    public static MigrationFiles List(IEnumerable<string> locations, bool skipMissing = false) =>
        new(locations.Select(MigrationFolder.StripFilesystemPrefix).Where(l => !skipMissing || Directory.Exists(l))
            .Select(l => (l, (IReadOnlyList<string>)MigrationFolder.Files(l, SearchOption.AllDirectories))).ToList());

    /// <summary>The files directly in each location (dbmate and golang-migrate read no subfolder).</summary>
    public IEnumerable<(string Location, IEnumerable<string> Files)> TopLevel =>
        Locations.Select(l => (l.Location, l.Files.Where(f => MigrationFolder.Relative(l.Location, f).IndexOfAny(Separators) < 0)));

    private static readonly char[] Separators = ['/', Path.DirectorySeparatorChar];
}
