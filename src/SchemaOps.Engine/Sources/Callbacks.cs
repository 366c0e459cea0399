using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Flyway's SQL callbacks for migrate, found by file name in the migration locations (recursively):
/// `&lt;event&gt;.sql` or `&lt;event&gt;__&lt;description&gt;.sql`, several per event run in file-name order.
/// beforeMigrate / afterMigrate run once around the run, each in its own transaction; beforeEachMigrate /
/// afterEachMigrate run inside every migration's transaction (so they commit or roll back with it);
/// afterMigrateError runs when a migration failed. Other Flyway events (validate, repair, undo, clean
/// callbacks) are recognised and reported as not run, never silently ignored.
/// </summary>
public sealed partial record CallbackSet(
    IReadOnlyList<MigrationScript> BeforeMigrate,
    IReadOnlyList<MigrationScript> BeforeEachMigrate,
    IReadOnlyList<MigrationScript> AfterEachMigrate,
    IReadOnlyList<MigrationScript> AfterMigrate,
    IReadOnlyList<MigrationScript> AfterMigrateError)
{
    public static readonly CallbackSet None = new([], [], [], [], []);

    private static readonly string[] Supported = ["beforeMigrate", "beforeEachMigrate", "afterEachMigrate", "afterMigrate", "afterMigrateError"];

    [GeneratedRegex(@"^((?:before|after)(?:Each)?(?:Migrate|Validate|Repair|Undo|Clean|Info|Baseline|Connect|Statement)(?:Error|Applied)?)(?:__.*)?\.sql$")]
    private static partial Regex CallbackName();

    public bool IsEmpty => BeforeMigrate.Count + BeforeEachMigrate.Count + AfterEachMigrate.Count + AfterMigrate.Count + AfterMigrateError.Count == 0;

    /// <summary>The same set with every script passed through <paramref name="transform"/> (placeholder replacement).</summary>
    public CallbackSet Select(Func<MigrationScript, MigrationScript> transform) => new(
        BeforeMigrate.Select(transform).ToList(), BeforeEachMigrate.Select(transform).ToList(), AfterEachMigrate.Select(transform).ToList(),
        AfterMigrate.Select(transform).ToList(), AfterMigrateError.Select(transform).ToList());

    public IEnumerable<MigrationScript> All => BeforeMigrate.Concat(BeforeEachMigrate).Concat(AfterEachMigrate).Concat(AfterMigrate).Concat(AfterMigrateError);

    public static CallbackSet Scan(IReadOnlyList<string> locations, Action<string>? warning = null)
    {
        var found = Supported.ToDictionary(e => e, _ => new List<MigrationScript>());
        foreach (var location in locations)
        {
            var root = MigrationFolder.StripFilesystemPrefix(location);
            if (!Directory.Exists(root)) continue; // the migration scan reports a missing folder
            foreach (var path in Directory.EnumerateFiles(root, "*.sql", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var match = CallbackName().Match(Path.GetFileName(path));
                if (!match.Success) continue;
                var name = match.Groups[1].Value;
                if (!found.TryGetValue(name, out var list))
                {
                    warning?.Invoke($"{path}: the {name} callback is not run by SchemaOps yet (it runs {string.Join(", ", Supported)})");
                    continue;
                }
                var text = ScriptReader.Read(path, path);
                list.Add(new MigrationScript(MigrationKind.Repeatable, null, name, Path.GetRelativePath(root, path).Replace('\\', '/'), Path.GetFullPath(path), text,
                    FlywayChecksum.Compute(text), ScriptConfig.Default) { DisplayPath = path });
            }
        }
        return new CallbackSet(found["beforeMigrate"], found["beforeEachMigrate"], found["afterEachMigrate"], found["afterMigrate"], found["afterMigrateError"]);
    }
}
