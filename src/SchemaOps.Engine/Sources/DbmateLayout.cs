using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Reads dbmate migrations: `&lt;version&gt;_&lt;description&gt;.sql` (the version is the leading digits) with a
/// `-- migrate:up` section and a `-- migrate:down` section, both required, in that order, with nothing but
/// comments before the first. `transaction:false` on a directive line runs that section outside a
/// transaction. Each file yields a versioned script (the up section) and an undo script (the down
/// section); statements keep their file line numbers.
/// </summary>
public static partial class DbmateLayout
{
    [GeneratedRegex(@"^(\d+)(?:_(.*))?\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^--\s*migrate:(up|down)\b(.*)$")]
    private static partial Regex Directive();

    public static IReadOnlyList<MigrationScript> Scan(IReadOnlyList<string> locations, Action<string>? verbose = null) =>
        Scan(MigrationFiles.List(locations), verbose);

    internal static IReadOnlyList<MigrationScript> Scan(MigrationFiles files, Action<string>? verbose)
    {
        var found = new List<MigrationScript>();
        foreach (var (path, match) in MigrationFolder.Matching(files, FileName(), "<version>_<description>.sql", verbose))
            found.AddRange(Read(path, Path.GetFileName(path), MigrationVersion.Parse(match.Groups[1].Value), match.Groups[2].Value.Replace('_', ' ')));
        FlywayLayout.RejectDuplicates(found);
        return found;
    }

    /// <summary>The up and down sections of one file, as a versioned script and its undo.</summary>
    public static IEnumerable<MigrationScript> Read(string path, string script, MigrationVersion version, string description)
    {
        var text = ScriptReader.Read(path, path);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var sections = new List<(string Kind, int DirectiveLine, bool Transaction)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Directive().Match(lines[i].TrimEnd());
            if (!m.Success) continue;
            var transaction = true;
            foreach (var option in m.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                transaction = option switch
                {
                    "transaction:false" => false,
                    "transaction:true" => true,
                    _ => throw Bad(path, i + 1, $"unknown option '{option}' (dbmate knows transaction:false)"),
                };
            sections.Add((m.Groups[1].Value, i + 1, transaction));
        }

        var up = sections.Where(s => s.Kind == "up").ToList();
        var down = sections.Where(s => s.Kind == "down").ToList();
        if (up.Count != 1) throw Bad(path, up.Count > 1 ? up[1].DirectiveLine : 1, up.Count == 0 ? "no '-- migrate:up' section" : "a second '-- migrate:up' section");
        if (down.Count != 1) throw Bad(path, down.Count > 1 ? down[1].DirectiveLine : lines.Length, down.Count == 0 ? "no '-- migrate:down' section" : "a second '-- migrate:down' section");
        if (down[0].DirectiveLine < up[0].DirectiveLine) throw Bad(path, down[0].DirectiveLine, "'-- migrate:down' comes before '-- migrate:up'");
        var before = string.Join('\n', lines.Take(up[0].DirectiveLine - 1));
        if (Sql.SqlSplitter.Split(before, path).Count > 0)
            throw Bad(path, Sql.SqlSplitter.Split(before, path)[0].Line, "statements before '-- migrate:up' belong to no section");

        string Body(int from, int to) => string.Join('\n', lines[from..to]);
        var upText = Body(up[0].DirectiveLine, down[0].DirectiveLine - 1);
        var downText = Body(down[0].DirectiveLine, lines.Length);
        yield return Section(MigrationKind.Versioned, upText, up[0]);
        yield return Section(MigrationKind.Undo, downText, down[0]);

        MigrationScript Section(MigrationKind kind, string body, (string Kind, int DirectiveLine, bool Transaction) s) =>
            new(kind, version, description, script, Path.GetFullPath(path), body, FlywayChecksum.Compute(body),
                new ScriptConfig(ExecuteInTransaction: s.Transaction ? null : false))
            { DisplayPath = path, FirstLine = s.DirectiveLine + 1 };
    }

    private static SchemaOpsException Bad(string file, int line, string problem) =>
        Errors.Input(ErrorCatalog.InvalidDbmateMigration, $"{file}:{line}: {problem}", file, line);
}
