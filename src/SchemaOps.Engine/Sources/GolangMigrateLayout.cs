using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Reads golang-migrate migrations: `&lt;version&gt;_&lt;title&gt;.up.sql` with an optional
/// `&lt;version&gt;_&lt;title&gt;.down.sql` (empty down files are common). The version is an unsigned integer.
/// Each up file yields a versioned script, each down file an undo script.
/// </summary>
public static partial class GolangMigrateLayout
{
    [GeneratedRegex(@"^(\d+)_(.*)\.(up|down)\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    public static IReadOnlyList<MigrationScript> Scan(IReadOnlyList<string> locations, Action<string>? verbose = null) =>
        Scan(MigrationFiles.List(locations), verbose);

    internal static IReadOnlyList<MigrationScript> Scan(MigrationFiles files, Action<string>? verbose)
    {
        var found = new List<MigrationScript>();
        foreach (var (path, match) in MigrationFolder.Matching(files, FileName(), "<version>_<title>.up.sql or .down.sql", verbose))
        {
            var kind = match.Groups[3].Value.Equals("up", StringComparison.OrdinalIgnoreCase) ? MigrationKind.Versioned : MigrationKind.Undo;
            var text = ScriptReader.Read(path, path);
            found.Add(new MigrationScript(kind, MigrationVersion.Parse(match.Groups[1].Value), match.Groups[2].Value.Replace('_', ' '),
                Path.GetFileName(path), Path.GetFullPath(path), text, FlywayChecksum.Compute(text), ScriptConfig.SentAsWritten) { DisplayPath = path });
        }
        FlywayLayout.RejectDuplicates(found);
        var ups = found.Where(s => s.Kind == MigrationKind.Versioned).ToDictionary(s => s.Version!);
        foreach (var down in found.Where(s => s.Kind == MigrationKind.Undo))
        {
            if (!ups.TryGetValue(down.Version!, out var up))
                throw Errors.Input(ErrorCatalog.DownWithoutUp, $"{down.DisplayPath}: a down migration with no up migration of version {down.Version}", down.DisplayPath, version: down.Version!.Text);
            // A pair whose titles differ is almost always a rename done halfway: which one is right is a guess.
            if (up.Description != down.Description)
                throw Errors.Input(ErrorCatalog.MismatchedMigrationPair,
                    $"{down.DisplayPath} does not match {up.DisplayPath}: an up and a down file of one version must have the same title", down.DisplayPath, version: down.Version!.Text);
        }
        return found;
    }
}
