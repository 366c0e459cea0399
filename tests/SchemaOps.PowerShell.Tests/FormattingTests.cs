using System.Xml.Linq;

namespace SchemaOps.PowerShell.Tests;

/// <summary>Every output type's default table view, rendered by PowerShell at 80 and 120 columns: every column shown, nothing cut to nothing.</summary>
public class FormattingTests(ModuleSession module) : IClassFixture<ModuleSession>
{
    /// <summary>
    /// The table views: type name, each column's label and width (null: takes what is left), and the label the view
    /// groups its rows under (a line of its own above each group; null: not grouped).
    /// </summary>
    public static IReadOnlyList<(string Type, List<(string Label, int? Width)> Columns, string? Group)> Views() =>
        XDocument.Load(Path.Combine(Repo.Root, "module", "SchemaOps.Format.ps1xml")).Descendants("View")
            .Where(v => v.Element("TableControl") is not null)
            .Select(v => (v.Element("ViewSelectedBy")!.Element("TypeName")!.Value,
                v.Descendants("TableColumnHeader").Select(h => (h.Element("Label")!.Value, h.Element("Width") is { } w ? (int?)int.Parse(w.Value) : null)).ToList(),
                v.Element("GroupBy")?.Element("Label")?.Value))
            .ToList();

    public static TheoryData<string, int> TypesAndWidths()
    {
        var data = new TheoryData<string, int>();
        foreach (var (type, _, _) in Views())
            foreach (var width in new[] { 80, 120 }) data.Add(type, width);
        return data;
    }

    [Fact]
    public void There_is_a_sample_of_every_type_with_a_table_view()
    {
        module.Pwsh.Run("$samples = & {" + Samples.Script + "}").Succeeded();
        var sampled = module.Pwsh.Run("$samples | ForEach-Object { $_.GetType().FullName }").Succeeded().Output.Select(o => o.ToString());
        Assert.Equal(Views().Select(v => v.Type).Order(), sampled.Order());
    }

    [Theory]
    [MemberData(nameof(TypesAndWidths))]
    public void The_default_view_shows_every_column_and_a_readable_last_one(string type, int width)
    {
        module.Pwsh.Run("$samples = & {" + Samples.Script + "}").Succeeded();
        var text = module.Pwsh.Run($"$samples | Where-Object {{ $_.GetType().FullName -eq '{type}' }} | Out-String -Width {width}").Succeeded().Text;
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{type} at {width}: a line of {l.Length} characters: {l}"));
        var (_, columns, group) = Views().Single(v => v.Type == type);
        var (header, rule) = group is null ? (lines[0], lines[1]) : (lines[1], lines[2]); // after the group's label line
        if (group is not null) Assert.True(lines[0].Trim().StartsWith(group + ": "), $"{type} at {width} has no {group} label:\n{text}");
        Assert.True(rule.Trim().All(c => c is '-' or ' '), $"{type} at {width} is not a table:\n{text}");
        foreach (var (label, _) in columns) Assert.True(header.Contains(label), $"{type} at {width} dropped column {label}:\n{text}");
        // The last column (free text: description, detail, path, message) keeps room to be read.
        var room = width - header.IndexOf(columns[^1].Label, StringComparison.Ordinal);
        Assert.True(room >= (width == 80 ? 15 : 55), $"{type} at {width}: the last column has {room} characters:\n{text}");
        // A number in a fixed column is never cut: "…7738" for a table of 117,738 MB says something false (the free
        // last column may cut a path or a name).
        var fixedPart = header.IndexOf(columns[^1].Label, StringComparison.Ordinal);
        foreach (var row in lines.Skip(lines.IndexOf(rule) + 1).Where(l => l.Length > fixedPart))
            Assert.False(System.Text.RegularExpressions.Regex.IsMatch(row[..fixedPart], @"…\d|\d…"), $"{type} at {width} cuts a number:\n{text}");
        // A migration version is shown whole: a 14-digit timestamp cut to "202411252…" names no migration.
        var version = module.Pwsh.Run($"$samples | Where-Object {{ $_.GetType().FullName -eq '{type}' }} | ForEach-Object {{ @($_.Version, $_.MigrationVersion) }} | Where-Object {{ $_ -is [SchemaOps.MigrationVersion] }} | ForEach-Object Text")
            .Succeeded().Output.Select(o => o.ToString()).SingleOrDefault();
        if (version is not null && columns.Any(c => c.Label == "Version")) Assert.True(text.Contains(version), $"{type} at {width} cuts version {version}:\n{text}");
    }
}
