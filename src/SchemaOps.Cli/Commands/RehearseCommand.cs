using SchemaOps.Engine.Configuration;
using SchemaOps.Engine.Rehearsal;

namespace SchemaOps.Cli.Commands;

/// <summary>`schemaops rehearse PATH`: the README's main job. Live check lines on stderr, a summary table and the verdict on stdout.</summary>
public sealed class RehearseCommand : ICommand
{
    public string Name => "rehearse";
    public string Summary => "lint, apply, validate, undo, compare, re-apply, compare, on a throwaway PostgreSQL (or --url); exit 1 on a failed check";
    public string Usage => "schemaops rehearse PATH... [--url URL | --environment NAME] [--from-backup FILE] [--slow DURATION] [--lint-level LEVEL] [--report FILE]... [--json]";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. MigrationOptions.Common,
        MigrationOptions.ConfirmProduction,
        new("--from-backup", "restore this backup (schemaops backup / pg_dump -Fc) first, for production-like data: into the throwaway server, or a scratch database beside --url's (dropped afterwards)", ValueName: "FILE"),
        new("--slow", "a migration taking longer than this is a failed check (default: slowThreshold in config, SCHEMAOPS_SLOW_THRESHOLD, else 30s)", ValueName: "DURATION"),
        new("--lint-level", "lint findings at this severity fail the lint check: error, warning or info (default: lintLevel in config, SCHEMAOPS_LINT_LEVEL, else warning)", ValueName: "LEVEL"),
        new("--report", "write the rehearsal report to FILE: .md, .json, .xml (JUnit) or .html (repeatable)", Repeatable: true, ValueName: "FILE"),
        new("--pg-bin", "the folder holding PostgreSQL's binaries (default: PATH, pg_config, the usual locations)", ValueName: "DIR"),
    ];

    public async Task<int> RunAsync(ParsedArguments args, CliContext context, CancellationToken ct)
    {
        var slow = args.Duration("--slow");
        var lintLevel = args.LintLevel("--lint-level");
        var (settings, target) = MigrationOptions.ForThrowaway(args, context, pathsAreLocations: true);
        var request = new RehearsalRequest
        {
            Settings = settings,
            Target = target, FromBackup = args.Value("--from-backup"), SlowThreshold = slow, LintLevel = lintLevel,
            Reports = args.Values("--report"), PgBinDirectory = args.Value("--pg-bin"),
        };
        var json = args.Has("--json");
        var sink = new ProgressSink(context.Sink(args), context.Stderr, live: !json && !Console.IsErrorRedirected);
        if (!json) context.Stderr.WriteLine($"rehearsing {string.Join(", ", settings.Locations.Select(Relative))} on {(target is null ? "a throwaway PostgreSQL" : target.Display)}");
        var result = await RehearsalOperation.RunAsync(request, sink, ct, check =>
        {
            if (json) return;
            sink.ClearLine();
            context.Stderr.WriteLine($"  {Mark(check),-8} {check.Name,-38} {check.Detail}{(check.Seconds > 0 ? $" ({check.Seconds:0.0} s)" : "")}");
            foreach (var problem in check.Problems.Take(10)) context.Stderr.WriteLine($"           {problem}");
            if (check.Problems.Count > 10) context.Stderr.WriteLine($"           ... and {check.Problems.Count - 10} more");
        });
        sink.ClearLine();
        if (json) context.Stdout.WriteLine(CliJson.Array([result]));
        else PrintSummary(result, context.Stdout);
        context.Stdout.Flush();
        return result.Passed ? ExitCodes.Success : ExitCodes.ProblemsFound;
    }

    private static string Mark(RehearsalCheck c) => c.Skipped ? "skipped" : c.Passed ? "ok" : "FAILED";

    private static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    /// <summary>The table a newcomer reads: one row per migration, then the verdict.</summary>
    private static void PrintSummary(RehearsalResult r, TextWriter o)
    {
        static string S(double? seconds) => seconds is { } s ? $"{s:0.000}" : "-";
        o.WriteLine();
        o.WriteLine($"{"version",-HumanFormat.VersionWidth} {"description",-40} {"apply s",8} {"undo s",8} {"re-apply s",10} {"lint",5}");
        foreach (var m in r.Migrations)
            o.WriteLine($"{m.Version?.Text ?? "R",-HumanFormat.VersionWidth} {HumanFormat.Trim(m.Description, 40),-40} {S(m.ApplySeconds),8} {(m.HasUndo ? S(m.UndoSeconds) : "no undo"),8} {S(m.ReapplySeconds),10} {m.LintFindings,5}{(m.Slow ? "  SLOW" : "")}");
        o.WriteLine();
        foreach (var path in r.Reports) o.WriteLine($"report: {path}");
        var failed = r.Checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        o.WriteLine($"rehearsal {r.Verdict}: {r.Checks.Count(c => c.Passed && !c.Skipped)} of {r.Checks.Count} checks passed" +
                    $"{(r.Checks.Any(c => c.Skipped) ? $", {r.Checks.Count(c => c.Skipped)} skipped" : "")}{(failed.Count > 0 ? $" (failed: {string.Join(", ", failed)})" : "")}; " +
                    $"{r.Migrations.Count} migrations, {r.Seconds:0.0} s on {r.Target}");
    }

    /// <summary>In a terminal, the current step (a migration being applied, the undo...) on one line that keeps being rewritten.</summary>
    private sealed class ProgressSink(CliSink inner, TextWriter stderr, bool live) : IOperationSink
    {
        private bool _dirty;
        public void WriteObject(object item) => inner.WriteObject(item);
        public void WriteVerbose(string message) => inner.WriteVerbose(message);
        public void WriteWarning(string message) { ClearLine(); inner.WriteWarning(message); }
        public bool ShouldProcess(string target, string action) => inner.ShouldProcess(target, action);
        public bool ShowsQuestions => inner.ShowsQuestions;

        public void WriteProgress(ProgressRecordInfo progress)
        {
            inner.WriteProgress(progress);
            if (!live || progress.Completed) return;
            lock (stderr)
            {
                stderr.Write($"\r\u001b[K  ...      {progress.Activity}: {progress.Status}");
                stderr.Flush();
                _dirty = true;
            }
        }

        public void ClearLine()
        {
            if (!_dirty) return;
            lock (stderr) stderr.Write("\r\u001b[K");
            _dirty = false;
        }
    }
}
