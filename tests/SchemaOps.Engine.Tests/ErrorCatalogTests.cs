using System.Text;
using System.Text.RegularExpressions;

namespace SchemaOps.Engine.Tests;

/// <summary>
/// The error catalogue is the one list of errors: every kind is raised somewhere, nothing decides an error by its id's
/// text elsewhere, and the about topic and the README list every kind as the catalogue has it. Set
/// SCHEMAOPS_UPDATE_HELP=1 to rewrite both from the catalogue.
/// </summary>
public class ErrorCatalogTests
{
    private static readonly string Root = FindRoot();
    private static readonly string AboutPath = Path.Combine(Root, "module", "en-US", "about_SchemaOps_Errors.help.txt");
    private static readonly string ReadmePath = Path.Combine(Root, "README.md");
    private const string TableStart = "<!-- error ids: generated from ErrorCatalog by the tests -->";
    private const string TableEnd = "<!-- end of error ids -->";

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "SchemaOps.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }

    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.EndsWith("ErrorCatalog.cs"));

    [Fact]
    public void Ids_are_unique_words()
    {
        Assert.All(ErrorCatalog.All, k => Assert.Matches("^[A-Z][A-Za-z]+$", k.Id));
        Assert.Equal(ErrorCatalog.All.Count, ErrorCatalog.All.Select(k => k.Id).Distinct().Count());
        Assert.All(ErrorCatalog.All, k => Assert.False(string.IsNullOrWhiteSpace(k.Meaning), k.Id));
    }

    [Fact]
    public void Every_kind_is_raised_somewhere_and_no_code_decides_by_an_ids_text()
    {
        var text = string.Join("\n", Sources().Select(File.ReadAllText));
        var used = Regex.Matches(text, @"ErrorCatalog\.(\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        var unused = ErrorCatalog.All.Select(k => k.Id).Where(id => !used.Contains(id)).ToList();
        Assert.True(unused.Count == 0, $"never raised: {string.Join(", ", unused)}");
        Assert.Empty(Regex.Matches(text, @"ErrorId\s*(==|is|\.StartsWith)\s*\(?""").Select(m => m.Value));
        Assert.Empty(Regex.Matches(text, @"new SchemaOpsException\(\s*""").Select(m => m.Value));
    }

    [Fact]
    public void The_about_topic_and_the_README_list_every_error_as_the_catalogue_has_it()
    {
        var about = About();
        var readme = File.ReadAllText(ReadmePath);
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal);
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md needs the markers {TableStart} and {TableEnd}");
        var withTable = readme[..(start + TableStart.Length)] + "\n" + Table() + readme[end..];
        if (Environment.GetEnvironmentVariable("SCHEMAOPS_UPDATE_HELP") == "1")
        {
            File.WriteAllText(AboutPath, about);
            File.WriteAllText(ReadmePath, withTable);
        }
        Assert.True(File.Exists(AboutPath) && File.ReadAllText(AboutPath) == about,
            "module/en-US/about_SchemaOps_Errors.help.txt is out of date with ErrorCatalog: run the tests with SCHEMAOPS_UPDATE_HELP=1");
        Assert.True(File.ReadAllText(ReadmePath) == withTable, "README.md's error table is out of date with ErrorCatalog: run the tests with SCHEMAOPS_UPDATE_HELP=1");
    }

    private static IEnumerable<ErrorKind> Sorted => ErrorCatalog.All.OrderBy(k => k.Id, StringComparer.Ordinal);

    private static string Table()
    {
        var b = new StringBuilder("| id | category | exit | meaning |\n|---|---|---|---|\n");
        foreach (var k in Sorted) b.Append($"| `{k.Id}` | {k.Category} | {(int)k.Exit} | {k.Meaning} |\n");
        return b.ToString();
    }

    private static string About()
    {
        var b = new StringBuilder();
        b.Append("""
            TOPIC
                about_SchemaOps_Errors

            SHORT DESCRIPTION
                Every error SchemaOps raises on purpose: its stable id, its category, the
                CLI exit code it gives, and what it means.

            LONG DESCRIPTION
                An error's id never changes and holds no variable text, so scripts can
                decide by it. In PowerShell it starts the ErrorRecord's
                FullyQualifiedErrorId (then a comma and the cmdlet's type) and the
                category is the record's CategoryInfo.Category; in the CLI it is the
                word in brackets ("error [LocationNotFound]: ...") or, with --json, the
                "id" of {"error": {...}} on stderr. The message names the file and
                line, the version, or the database involved, and never a password.

                    try { Invoke-Migration -ErrorAction Stop }
                    catch {
                        if ($_.FullyQualifiedErrorId -like 'MigrationLockTimeout,*') { 'busy: retry later' }
                        else { throw }
                    }

                CLI exit codes: 0 success, 1 problems found, 2 usage or bad input,
                3 failed, 4 cannot connect, 5 busy, 130 canceled (a signal: 128 + its
                number).

            ERRORS

            """);
        foreach (var k in Sorted)
        {
            b.Append($"    {k.Id} ({k.Category}, exit {(int)k.Exit})\n");
            foreach (var line in Wrap(k.Meaning, 68)) b.Append($"        {line}\n");
        }
        b.Append("""

            SEE ALSO
                about_SchemaOps

            """);
        return b.ToString().ReplaceLineEndings("\n");
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
