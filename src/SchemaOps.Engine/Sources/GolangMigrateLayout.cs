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

    public static IReadOnlyList<MigrationScript> Scan(IReadOnlyList<string> locations, Action<string>? verbose = null)
    {
        var found = new List<MigrationScript>();
        foreach (var (path, match) in MigrationFolder.Matching(locations, FileName(), "<version>_<title>.up.sql or .down.sql", verbose))
        {
            var kind = match.Groups[3].Value.Equals("up", StringComparison.OrdinalIgnoreCase) ? MigrationKind.Versioned : MigrationKind.Undo;
            var text = ScriptReader.Read(path, path);
            found.Add(new MigrationScript(kind, MigrationVersion.Parse(match.Groups[1].Value), match.Groups[2].Value.Replace('_', ' '),
                Path.GetFileName(path), Path.GetFullPath(path), text, FlywayChecksum.Compute(text), ScriptConfig.Default) { DisplayPath = path });
        }
        FlywayLayout.RejectDuplicates(found);
        var ups = found.Where(s => s.Kind == MigrationKind.Versioned).Select(s => s.Version!).ToHashSet();
        if (found.FirstOrDefault(s => s.Kind == MigrationKind.Undo && !ups.Contains(s.Version!)) is { } orphan)
            throw Errors.InvalidData("DownWithoutUp", $"{orphan.DisplayPath}: a down migration with no up migration of version {orphan.Version}", orphan.DisplayPath, version: orphan.Version!.Text);
        return found;
    }
}
