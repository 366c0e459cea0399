using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SchemaOps.Engine.Sql;

/// <summary>
/// squawk (npm squawk-cli 2.x) and `schemaops lint` side by side: (1) agreement on real-world migrations for the rules
/// both have, each file linted on its own as squawk does: the corpus the rules were tuned on (graphile-worker's, fetched
/// by bench/run, the runbooks' SQL, the example set) and one they never were (Hangfire.PostgreSql's, from NuGet);
/// (2) wall time on 1,000 generated files, process start included.
/// </summary>
static class LintBench
{
    public static void Run(string schemaops, string squawk, int rounds, string work, StringBuilder report, Func<List<double>, double> median)
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        // The corpus the rules were checked against while they were written...
        Agreement(schemaops, squawk, report, "graphile-worker's migrations, the runbooks' SQL, examples/parking: the corpus the rules were tuned on",
            [Path.Combine(root, "bench/work/corpus/graphile-worker"), Path.Combine(root, "bench/lint-corpus/runbooks"), Path.Combine(root, "examples/parking/db/migration")]);
        // ...and one they never were: Hangfire.PostgreSql's install scripts, from the package on NuGet.
        Agreement(schemaops, squawk, report, "Hangfire.PostgreSql 1.21.1's install scripts: a corpus the rules were never tuned on", [HangfireScripts(work)]);
        // Speed: 1,000 files of typical statements, linted by each tool in one process.
        var generated = Path.Combine(work, "lint1000");
        Directory.CreateDirectory(generated);
        for (var i = 1; i <= 1000; i++)
            File.WriteAllText(Path.Combine(generated, $"V{i}__change_{i}.sql"),
                $"CREATE TABLE IF NOT EXISTS t{i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n" +
                $"ALTER TABLE accounts ADD COLUMN c{i} integer;\nCREATE INDEX idx_{i} ON accounts (c{i});\nUPDATE accounts SET c{i} = 0 WHERE id < 100;\n" +
                $"ALTER TABLE accounts ADD CONSTRAINT chk_{i} CHECK (c{i} >= 0);\n-- a comment that says DROP TABLE accounts;\nCOMMENT ON COLUMN accounts.c{i} IS 'step {i}';\n");
        var all = Directory.GetFiles(generated, "*.sql").Order(StringComparer.Ordinal).ToArray();
        var squawkTimes = new List<double>();
        var oursTimes = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var s = RunAllowingFindings(squawk, ["--assume-in-transaction", "--reporter", "json", .. all]);
            var o = RunAllowingFindings(schemaops, ["lint", "--format", "json", generated]);
            if (round == 0) continue;
            squawkTimes.Add(s);
            oursTimes.Add(o);
        }
        report.AppendLine($"| lint 1,000 files (5 statements each), median of {rounds} (s) | wall time | schemaops / squawk |");
        report.AppendLine("|---|---|---|");
        report.AppendLine($"| `squawk --assume-in-transaction --reporter json` (all files) | {median(squawkTimes):0.000} | 1.00 |");
        report.AppendLine($"| `schemaops lint --format json` (the folder, as a set) | {median(oursTimes):0.000} | {median(oursTimes) / median(squawkTimes):0.00} |");
        Summary.AtMost("lint 1,000 files, at most 1.5 x squawk", median(oursTimes) / median(squawkTimes), 1.5, $"(native {median(oursTimes):0.000} s, squawk {median(squawkTimes):0.000} s)");
        Directory.Delete(generated, true);
    }

    /// <summary>
    /// Agreement on the rules both tools have, each file linted on its own as squawk does. Files squawk cannot parse or
    /// crashes on are listed by name, never silently dropped.
    /// </summary>
    private static void Agreement(string schemaops, string squawk, StringBuilder report, string corpus, string[] folders)
    {
        var files = folders.SelectMany(c => Directory.GetFiles(c, "*.sql")).Order(StringComparer.Ordinal).ToList();

        // squawk one file at a time: it panics on some real files (graphile-worker's psql variables such as
        // :GRAPHILE_WORKER_SCHEMA), and one crash must not hide the other files' findings.
        var crashed = new List<string>();
        var theirs = new List<Found>();
        foreach (var file in files)
        {
            // --assume-in-transaction: SchemaOps runs each migration in a transaction (unless it cannot), as squawk then assumes.
            var (code, output) = TryCapture(squawk, ["--assume-in-transaction", "--reporter", "json", file]);
            if (code > 1) crashed.Add(file);
            else theirs.AddRange(Findings(output, "rule_name", zeroBasedLines: true));
        }
        files = files.Except(crashed).ToList();
        var ours = Findings(Capture(schemaops, ["lint", "--format", "json", .. files]), "ruleId", zeroBasedLines: false);
        // syntax-error means different things: squawk's parser failing on text PostgreSQL accepts (psql variables), SchemaOps' lexer failing on unterminated text.
        var shared = SchemaOps.Engine.Lint.Linter.RuleIds.Intersect(theirs.Select(f => f.Rule)).Where(r => r != "syntax-error").ToHashSet();
        // Matched per statement: the two tools point at different tokens of the same statement.
        var statementOf = files.ToDictionary(f => f, f => SqlSplitter.Split(File.ReadAllText(f), f).Select(s => s.Line).ToList());
        int Statement(string file, int line) => statementOf[file].FindLastIndex(start => start <= line);
        var ourKeys = ours.Where(f => shared.Contains(f.Rule)).Select(f => (f.File, f.Rule, Statement(f.File, f.Line))).ToHashSet();
        var theirShared = theirs.Where(f => shared.Contains(f.Rule)).ToList();
        var missed = theirShared.Where(f => !ourKeys.Contains((f.File, f.Rule, Statement(f.File, f.Line)))).ToList();
        var theirKeys = theirShared.Select(f => (f.File, f.Rule, Statement(f.File, f.Line))).ToHashSet();
        var extra = ours.Where(f => shared.Contains(f.Rule) && !theirKeys.Contains((f.File, f.Rule, Statement(f.File, f.Line)))).ToList();

        report.AppendLine($"| lint agreement on {files.Count} files ({corpus}), rules both have | squawk findings | SchemaOps reproduces |");
        report.AppendLine("|---|---|---|");
        foreach (var rule in shared.Order())
        {
            var n = theirShared.Count(f => f.Rule == rule);
            report.AppendLine($"| {rule} | {n} | {n - missed.Count(f => f.Rule == rule)} |");
        }
        report.AppendLine($"| **all shared rules** | {theirShared.Count} | {theirShared.Count - missed.Count} ({100.0 * (theirShared.Count - missed.Count) / Math.Max(1, theirShared.Count):0.0}%) |");
        report.AppendLine();
        var syntax = theirs.Where(f => f.Rule == "syntax-error").GroupBy(f => f.File).ToList();
        foreach (var g in syntax) report.AppendLine($"- squawk's parser rejects {Path.GetFileName(g.Key)} ({g.Count()} syntax-error findings); SchemaOps, which lexes but does not parse SQL grammar, lints its statements");
        foreach (var c in crashed) report.AppendLine($"- squawk crashed (internal error) on {Path.GetFileName(Path.GetDirectoryName(c))}/{Path.GetFileName(c)}: left out of the comparison; SchemaOps lints it");
        foreach (var m in missed) report.AppendLine($"- squawk only: {Path.GetFileName(m.File)}:{m.Line} {m.Rule}");
        foreach (var e in extra) report.AppendLine($"- SchemaOps only: {Path.GetFileName(e.File)}:{e.Line} {e.Rule}");
        report.AppendLine();
    }

    /// <summary>Hangfire.PostgreSql's install scripts (Install.v3.sql ...), embedded in its assembly, written out as files.</summary>
    private static string HangfireScripts(string work)
    {
        var folder = Directory.CreateDirectory(Path.Combine(work, "corpus-hangfire-postgresql")).FullName;
        var assembly = typeof(Hangfire.PostgreSql.PostgreSqlStorage).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(Path.Combine(folder, name[(name.LastIndexOf(".Install.", StringComparison.Ordinal) is var at and >= 0 ? at + 1 : 0)..]));
            stream.CopyTo(file);
        }
        return folder;
    }

    private sealed record Found(string File, string Rule, int Line);

    private static List<Found> Findings(string json, string ruleProperty, bool zeroBasedLines) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(e => new Found(Path.GetFullPath(e.GetProperty("file").GetString()!), e.GetProperty(ruleProperty).GetString()!, e.GetProperty("line").GetInt32() + (zeroBasedLines ? 1 : 0)))
            .ToList();

    private static (int ExitCode, string Output) TryCapture(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        _ = errors.Result;
        return (p.ExitCode, output.Result);
    }

    private static string Capture(string file, string[] args)
    {
        var (code, output) = TryCapture(file, args);
        return code > 1 ? throw new Exception($"{file} failed ({code})") : output;
    }

    /// <summary>Wall time of one run; exit code 1 (findings) is the expected outcome for both tools here.</summary>
    private static double RunAllowingFindings(string file, string[] args)
    {
        var watch = Stopwatch.StartNew();
        Capture(file, args);
        return watch.Elapsed.TotalSeconds;
    }
}
