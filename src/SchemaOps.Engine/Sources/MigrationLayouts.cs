using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>The scripts of a migration folder and the layout they were read in (Auto when the folder holds no migration).</summary>
public sealed record ScannedMigrations(MigrationLayout Layout, IReadOnlyList<MigrationScript> Scripts)
{
    /// <summary>The SQL callbacks found beside the migrations.</summary>
    public CallbackSet Callbacks { get; init; } = CallbackSet.None;
}

/// <summary>
/// The one place that decides a folder's layout and reads it in that layout. Detection looks at file names
/// only: V/U/R__ names are Flyway's, N_title.up.sql / .down.sql golang-migrate's, other N_title.sql dbmate's.
/// A folder that mixes them is refused, because which files count would otherwise be a guess.
/// </summary>
public static partial class MigrationLayouts
{
    [GeneratedRegex(@"^(?:[VU]\d[\d._]*__.*|R__.*)\.sql$")]
    private static partial Regex FlywayName();

    [GeneratedRegex(@"^\d+_.*\.(?:up|down)\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex GolangMigrateName();

    [GeneratedRegex(@"^\d+(?:_.*)?\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex DbmateName();

    public static ScannedMigrations Scan(MigrationLayout layout, IReadOnlyList<string> locations, ScanOptions options, Action<string>? verbose = null, Action<string>? warning = null)
    {
        if (locations.Count == 0) throw Errors.Parameter(ErrorCatalog.NoLocation, "no migration location given: pass -Path / --path");
        var files = MigrationFiles.List(locations);
        var chosen = layout == MigrationLayout.Auto ? Detect(files, locations) : layout;
        IReadOnlyList<MigrationScript> scripts = chosen switch
        {
            MigrationLayout.Dbmate => DbmateLayout.Scan(files, verbose),
            MigrationLayout.GolangMigrate => GolangMigrateLayout.Scan(files, verbose),
            MigrationLayout.Flyway => FlywayLayout.Scan(files, options, verbose, warning),
            _ => FlywayLayout.Scan(files, options, verbose, warning), // no migration file: reports bad names
        };
        if (chosen != MigrationLayout.Auto) verbose?.Invoke($"reading {string.Join(", ", locations)} in the {Name(chosen)} layout{(layout == MigrationLayout.Auto ? " (detected from the file names)" : "")}");
        return new ScannedMigrations(chosen, scripts) { Callbacks = CallbackSet.Scan(files, warning) };
    }

    /// <summary>
    /// The versions of the folders' versioned migrations, oldest first, in whichever layout they are (tab completion):
    /// Flyway's from the names alone; none when the folders cannot be read as migrations.
    /// </summary>
    public static IReadOnlyList<string> Versions(IReadOnlyList<string> locations)
    {
        var existing = locations.Select(MigrationFolder.StripFilesystemPrefix).Where(Directory.Exists).ToList();
        try
        {
            return Detect(existing) is MigrationLayout.Flyway or MigrationLayout.Auto ? FlywayLayout.Versions(existing)
                : Scan(MigrationLayout.Auto, existing, new ScanOptions(LenientNaming: true)).Scripts
                    .Where(s => s.Kind == MigrationKind.Versioned).Select(s => s.Version!).Distinct().Order().Select(v => v.Text).ToList();
        }
        catch (SchemaOpsException)
        {
            return [];
        }
    }

    /// <summary>The layout the folders' file names say, Auto when they hold no migration file; mixed layouts are refused.</summary>
    public static MigrationLayout Detect(IReadOnlyList<string> locations) => Detect(MigrationFiles.List(locations), locations);

    private static MigrationLayout Detect(MigrationFiles listed, IReadOnlyList<string> locations)
    {
        var examples = new Dictionary<MigrationLayout, string>();
        foreach (var (_, files) in listed.Locations)
            foreach (var path in files)
            {
                var name = Path.GetFileName(path);
                var layout = FlywayName().IsMatch(name) ? MigrationLayout.Flyway
                    : GolangMigrateName().IsMatch(name) ? MigrationLayout.GolangMigrate
                    : DbmateName().IsMatch(name) ? MigrationLayout.Dbmate
                    : MigrationLayout.Auto;
                if (layout != MigrationLayout.Auto) examples.TryAdd(layout, path);
            }
        if (examples.Count > 1)
            throw Errors.Input(ErrorCatalog.MixedMigrationLayouts,
                $"{string.Join(", ", locations)} mix{(locations.Count == 1 ? "es" : "")} migration layouts: " +
                string.Join(" and ", examples.Select(e => $"{Name(e.Key)} ({e.Value})")) +
                ". Keep one layout per folder, or pass -Layout / --layout to say which files are the migrations.",
                examples.Values.First());
        return examples.Keys.SingleOrDefault(MigrationLayout.Auto);
    }

    /// <summary>How the CLI's --layout spells a layout (and parses it back).</summary>
    public static string CliName(MigrationLayout layout) => layout == MigrationLayout.GolangMigrate ? "golang-migrate" : layout.ToString().ToLowerInvariant();

    public static MigrationLayout ParseCliName(string text) => TryParseCliName(text)
        ?? throw Errors.Parameter(ErrorCatalog.InvalidLayout, $"layout '{text}' is not one of {string.Join(", ", Enum.GetValues<MigrationLayout>().Select(CliName))}");

    public static MigrationLayout? TryParseCliName(string text) =>
        Enum.GetValues<MigrationLayout>().Cast<MigrationLayout?>().FirstOrDefault(l => CliName(l!.Value) == text.Trim().ToLowerInvariant());

    /// <summary>How messages name a layout: the tool's own name.</summary>
    public static string Name(MigrationLayout layout) => layout switch
    {
        MigrationLayout.Dbmate => "dbmate",
        MigrationLayout.GolangMigrate => "golang-migrate",
        MigrationLayout.Flyway => "Flyway",
        _ => "undetermined",
    };
}
