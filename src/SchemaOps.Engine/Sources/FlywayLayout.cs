namespace SchemaOps.Engine.Sources;

/// <summary>
/// Finds Flyway-style migrations (V/U/R prefixes, '__' separator, .sql suffix) in one or more locations,
/// recursively, and reads them. Anything that looks like a migration but does not parse is an error unless
/// <see cref="ScanOptions.LenientNaming"/> asks for Flyway's habit of skipping it.
/// </summary>
public static class FlywayLayout
{
    private const string Separator = "__";
    private const string Suffix = ".sql";

    /// <summary>Flyway's script migrations (V2__seed.sh run by a shell): a migration SchemaOps cannot run, never to be skipped unseen.</summary>
    private static readonly string[] ScriptSuffixes = [".ps1", ".bat", ".cmd", ".sh", ".bash", ".py"];

    public static IReadOnlyList<MigrationScript> Scan(IReadOnlyList<string> locations, ScanOptions options, Action<string>? verbose = null, Action<string>? warning = null) =>
        Scan(MigrationFiles.List(locations), options, verbose, warning);

    internal static IReadOnlyList<MigrationScript> Scan(MigrationFiles listed, ScanOptions options, Action<string>? verbose, Action<string>? warning)
    {
        // Names are parsed in order (cheap); reading and checksumming, the costly part, runs in parallel.
        var candidates = new List<(string FullPath, string Script, string Display, (MigrationKind Kind, MigrationVersion? Version, string Description) Name, bool HasConfig)>(
            listed.Locations.Sum(l => l.Files.Count));
        foreach (var (root, files) in listed.Locations)
        {
            var fullRoot = Path.GetFullPath(root);
            // Config lookups without a stat per script (and without a set of every name when there is no config at all).
            var existing = files.Any(f => f.EndsWith(".sql.conf", StringComparison.OrdinalIgnoreCase)) ? files.ToHashSet(StringComparer.Ordinal) : [];
            foreach (var file in files)
            {
                var relative = MigrationFolder.Relative(root, file);
                var script = relative.Replace('\\', '/');
                var display = Path.Combine(root, script);
                var parsed = ParseName(Path.GetFileName(file), display, options, verbose, warning);
                if (parsed is not null) candidates.Add((Path.Join(fullRoot, relative), script, display, parsed.Value, existing.Contains(file + ".conf")));
            }
        }

        var read = new (MigrationScript? Script, Exception? Error)[candidates.Count];
        Parallel.For(0, candidates.Count, i =>
        {
            var c = candidates[i];
            try
            {
                var config = c.HasConfig ? ScriptConfig.Load(c.FullPath + ".conf", c.Display + ".conf") : ScriptConfig.Default;
                var text = ScriptReader.Read(c.FullPath, c.Display, config.Encoding);
                read[i] = (new MigrationScript(c.Name.Kind, c.Name.Version, c.Name.Description, c.Script, c.FullPath, text, FlywayChecksum.Compute(text), config)
                    { DisplayPath = c.Display }, null);
            }
            catch (Exception e)
            {
                read[i] = (null, e);
            }
        });
        var found = new List<MigrationScript>(read.Length);
        foreach (var (script, error) in read)
        {
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error); // the first failing file, in order
            if (script!.IsEmpty) warning?.Invoke($"{script.DisplayPath} is empty: it will be recorded but runs nothing");
            found.Add(script);
        }
        RejectDuplicates(found);
        return found;
    }

    /// <summary>
    /// The versions of the versioned migrations under the locations, from file names alone (no file is read):
    /// fast enough for tab completion. Missing folders and malformed names are passed over.
    /// </summary>
    public static IReadOnlyList<string> Versions(IEnumerable<string> locations) =>
        locations.Select(MigrationFolder.StripFilesystemPrefix).Where(Directory.Exists)
            .SelectMany(l => MigrationFolder.FilesOrNone(l))
            .Where(f => Path.GetFileName(f).StartsWith('V'))
            .Select(f => ParseName(Path.GetFileName(f), f, new ScanOptions(LenientNaming: true)))
            .Where(n => n?.Kind == MigrationKind.Versioned)
            .Select(n => n!.Value.Version!)
            .Distinct().Order().Select(v => v.Text).ToList();

    /// <summary>Parses a file name; null means "not a migration" (skipped). Throws for a name that looks like one but is malformed.</summary>
    public static (MigrationKind Kind, MigrationVersion? Version, string Description)? ParseName(
        string fileName, string display, ScanOptions options, Action<string>? verbose = null, Action<string>? warning = null)
    {
        if (!fileName.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase))
        {
            if (ScriptSuffixes.FirstOrDefault(s => fileName.EndsWith(s, StringComparison.OrdinalIgnoreCase)) is { } script
                && ParseName(fileName[..^script.Length] + Suffix, display, new ScanOptions(LenientNaming: true)) is not null)
            {
                var unrunnable = Printable.Escape($"{display} is a Flyway script migration ({fileName[^script.Length..]}): SchemaOps runs SQL migrations only, and a skipped migration is never applied");
                if (!options.LenientNaming)
                    throw Errors.Input(ErrorCatalog.ScriptMigrationNotSupported,
                        unrunnable + ". Rewrite it as SQL, or run it by hand and pass -LenientNaming / --lenient-naming to skip it", display);
                warning?.Invoke(unrunnable + "; skipped");
                return null;
            }
            if (!fileName.EndsWith(Suffix + ".conf", StringComparison.OrdinalIgnoreCase))
                verbose?.Invoke($"skipping {display}: not a .sql file");
            return null;
        }
        var stem = fileName[..^Suffix.Length];
        var kind = stem.Length < 2 ? (MigrationKind?)null : stem[0] switch
        {
            'V' when char.IsAsciiDigit(stem[1]) || stem[1] == '_' => MigrationKind.Versioned,
            'U' when char.IsAsciiDigit(stem[1]) || stem[1] == '_' => MigrationKind.Undo,
            'R' when stem[1] == '_' => MigrationKind.Repeatable,
            _ => null,
        };
        if (kind is null)
        {
            verbose?.Invoke($"skipping {display}: the name does not start with V<version>, U<version> or R__");
            return null;
        }
        var rest = stem[1..];
        string? error;
        if (kind == MigrationKind.Repeatable)
        {
            if (rest.StartsWith(Separator, StringComparison.Ordinal))
                return (kind.Value, null, Describe(rest[Separator.Length..]));
            error = $"a repeatable migration is named R{Separator}<description>{Suffix}";
        }
        else
        {
            var sep = rest.IndexOf(Separator, StringComparison.Ordinal);
            var versionText = sep < 0 ? rest : rest[..sep];
            var description = sep < 0 ? "" : Describe(rest[(sep + Separator.Length)..]);
            if (MigrationVersion.TryParse(versionText, out var version, out error))
                return (kind.Value, version, description);
        }
        var message = Printable.Escape($"{display}: the file name looks like a migration but does not parse: {error}"); // one line, whatever the name holds
        if (!options.LenientNaming)
            throw Errors.Input(ErrorCatalog.InvalidMigrationName, message + " (rename it, or pass -LenientNaming / --lenient-naming to skip such files as Flyway does)", display);
        warning?.Invoke(message + "; skipped");
        return null;
    }

    private static string Describe(string raw) => raw.Replace('_', ' ');

    internal static void RejectDuplicates(List<MigrationScript> found)
    {
        var seen = new HashSet<(MigrationKind, MigrationVersion?, string?)>(found.Count);
        if (found.All(m => seen.Add((m.Kind, m.Version, m.Version is null ? m.Description : null)))) return; // the usual case, without grouping them all
        foreach (var group in found.Where(m => m.Version is not null).GroupBy(m => (m.Kind, m.Version!)))
            if (group.Count() > 1)
                throw Errors.Input(ErrorCatalog.DuplicateMigrationVersion,
                    $"found more than one {group.Key.Kind.ToString().ToLowerInvariant()} migration with version {group.Key.Item2}: " +
                    string.Join(", ", group.Select(m => m.DisplayPath)), group.First().DisplayPath, version: group.Key.Item2.Text);
        foreach (var group in found.Where(m => m.Kind == MigrationKind.Repeatable).GroupBy(m => m.Description, StringComparer.Ordinal))
            if (group.Count() > 1)
                throw Errors.Input(ErrorCatalog.DuplicateRepeatableMigration,
                    $"found more than one repeatable migration with description '{group.Key}': " +
                    string.Join(", ", group.Select(m => m.DisplayPath)), group.First().DisplayPath);
    }
}

public sealed record ScanOptions(bool LenientNaming = false);
