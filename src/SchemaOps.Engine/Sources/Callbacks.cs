using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Flyway's SQL callbacks, found by file name in the migration locations (recursively): `&lt;event&gt;.sql`
/// or `&lt;event&gt;__&lt;description&gt;.sql`, several per event run in file-name order. For each operation
/// (Migrate, Undo, Validate, Repair, Clean, Baseline, Info): before&lt;Op&gt; and after&lt;Op&gt; run once
/// around it, each in its own transaction, and after&lt;Op&gt;Error when it failed. beforeEachMigrate /
/// afterEachMigrate and beforeEachUndo / afterEachUndo run inside every script's transaction (so they commit
/// or roll back with it). Other Flyway events (per statement, connect, ...) are reported as not run, never
/// silently ignored.
/// </summary>
public sealed partial record CallbackSet(IReadOnlyDictionary<string, IReadOnlyList<MigrationScript>> ByEvent)
{
    public static readonly CallbackSet None = new(new Dictionary<string, IReadOnlyList<MigrationScript>>());

    /// <summary>The operations with callbacks, by Flyway's names.</summary>
    public static readonly string[] Operations = ["Migrate", "Undo", "Validate", "Repair", "Clean", "Baseline", "Info"];

    private static readonly HashSet<string> Supported =
    [
        .. Operations.SelectMany(op => new[] { $"before{op}", $"after{op}", $"after{op}Error" }),
        "beforeEachMigrate", "afterEachMigrate", "beforeEachUndo", "afterEachUndo",
    ];

    [GeneratedRegex(@"^((?:before|after)(?:Each)?(?:Migrate|Validate|Repair|Undo|Clean|Info|Baseline|Connect|Statement|Versioned)(?:Statement)?(?:Error|Applied)?)(?:__.*)?\.sql$")]
    private static partial Regex CallbackName();

    /// <summary>The scripts of one event, in file-name order; none when there are none.</summary>
    public IReadOnlyList<MigrationScript> this[string eventName] => ByEvent.TryGetValue(eventName, out var scripts) ? scripts : [];

    /// <summary>The same set with every script passed through <paramref name="transform"/> (placeholder replacement).</summary>
    public CallbackSet Select(Func<MigrationScript, MigrationScript> transform) =>
        new(ByEvent.ToDictionary(e => e.Key, e => (IReadOnlyList<MigrationScript>)e.Value.Select(transform).ToList()));

    public IEnumerable<MigrationScript> All => ByEvent.Values.SelectMany(s => s);

    /// <summary>The callbacks in the locations that exist (the migration scan reports a missing folder).</summary>
    public static CallbackSet Scan(IReadOnlyList<string> locations, Action<string>? warning = null) =>
        Scan(MigrationFiles.List(locations, skipMissing: true), warning);

    internal static CallbackSet Scan(MigrationFiles listed, Action<string>? warning)
    {
        var found = new Dictionary<string, List<MigrationScript>>();
        foreach (var (root, files) in listed.Locations)
        {
            foreach (var path in files.Where(f => f.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)))
            {
                var match = CallbackName().Match(Path.GetFileName(path));
                if (!match.Success) continue;
                var name = match.Groups[1].Value;
                if (!Supported.Contains(name))
                {
                    warning?.Invoke($"{path}: the {name} callback is not run by SchemaOps (it runs before/after/after…Error of {string.Join(", ", Operations)}, and beforeEach/afterEach of Migrate and Undo)");
                    continue;
                }
                var text = ScriptReader.Read(path, path);
                (found.TryGetValue(name, out var list) ? list : found[name] = []).Add(
                    new MigrationScript(MigrationKind.Repeatable, null, name, MigrationFolder.Relative(root, path).Replace('\\', '/'), Path.GetFullPath(path), text,
                        FlywayChecksum.Compute(text), ScriptConfig.Default) { DisplayPath = path });
            }
        }
        return new CallbackSet(found.ToDictionary(e => e.Key, e => (IReadOnlyList<MigrationScript>)e.Value));
    }
}
