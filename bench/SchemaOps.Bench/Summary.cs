using System.Diagnostics;
using System.Text.RegularExpressions;

/// <summary>
/// The summary table at the top of bench/RESULTS.md, between its two markers: one row per target. Each run rewrites
/// the rows of the targets it measured, stamped with its date and commit; rows of parts it did not run keep their
/// own stamp, so every number in the table says which run it came from. Nobody edits these rows by hand.
/// </summary>
static class Summary
{
    private const string Start = "<!-- summary: written by bench/run, do not edit -->";
    private const string End = "<!-- end of summary -->";
    private static readonly List<(string Target, string Measured, bool Met)> Fresh = [];

    /// <summary>A target met when <paramref name="value"/> is at most <paramref name="limit"/>.</summary>
    public static void AtMost(string target, double value, double limit, string how) => Fresh.Add((target, $"{value:0.00} {how}", value <= limit));

    /// <summary>Rewrites the measured rows in <paramref name="resultsFile"/>; prints where it wrote.</summary>
    public static void Write(string resultsFile)
    {
        if (Fresh.Count == 0 || !File.Exists(resultsFile)) return;
        var text = File.ReadAllText(resultsFile);
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start) throw new InvalidOperationException($"{resultsFile} has no summary markers");
        var rows = new List<string[]>();
        foreach (Match m in Regex.Matches(text[start..end], @"^\| (?!target \|)(?!---)(.+) \|$", RegexOptions.Multiline))
            rows.Add(m.Groups[1].Value.Split(" | "));
        var stamp = $"{DateTime.UtcNow:yyyy-MM-dd}, {Commit()}";
        foreach (var (target, measured, met) in Fresh)
        {
            var row = new[] { target, measured, met ? "yes" : "**no**", stamp };
            var at = rows.FindIndex(r => r[0] == target);
            if (at >= 0) rows[at] = row;
            else rows.Add(row);
        }
        var table = string.Join("\n", ["| target | measured | met? | run |", "|---|---|---|---|", .. rows.Select(r => $"| {string.Join(" | ", r)} |")]);
        File.WriteAllText(resultsFile, text[..(start + Start.Length)] + "\n" + table + "\n" + text[end..]);
        Console.WriteLine($"summary of {Fresh.Count} target(s) written to {resultsFile}");
    }

    private static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var hash = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? $"commit {hash}" : "commit unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "commit unknown";
        }
    }
}
