using System.Numerics;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// Creates the next migration in the folder's layout. Flyway: the version after the highest existing one
/// (its last part plus one, width kept: 1.9 -> 1.10, 007 -> 008; 1 in an empty folder) with a U companion.
/// dbmate and golang-migrate: a UTC timestamp version (yyyyMMddHHmmss, as their `new`/`create` write; one
/// more than the highest existing if the clock is not past it), with the down section or .down.sql file.
/// Never overwrites a file.
/// </summary>
public static class NewMigrationOperation
{
    private static readonly char[] Forbidden = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    /// <summary>The longest file name (in bytes) Linux, macOS and Windows file systems all accept.</summary>
    private const int MaxFileNameBytes = 255;

    public static IReadOnlyList<MigrationFile> Create(string location, string description, bool withUndo, IOperationSink sink,
        MigrationLayout layout = MigrationLayout.Auto, DateTime? utcNow = null)
    {
        var words = description.Trim();
        if (words.Length == 0) throw Errors.Parameter(ErrorCatalog.InvalidDescription, "a migration needs a description (e.g. \"add users email\")");
        if (words.IndexOfAny(Forbidden) >= 0 || words.Any(char.IsControl))
            throw Errors.Parameter(ErrorCatalog.InvalidDescription,
                $"the description '{description}' holds a character that cannot be in a file name ({string.Join(' ', Forbidden)}, or a control character)", description);
        Directory.CreateDirectory(location);

        if (layout == MigrationLayout.Auto) layout = MigrationLayouts.Detect([location]);
        var name = string.Join('_', words.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var files = new List<(MigrationKind Kind, string Path, string Text)>();
        string version;
        switch (layout)
        {
            case MigrationLayout.Dbmate:
                version = Timestamp(layout, location, utcNow);
                files.Add((MigrationKind.Versioned, Path.Combine(location, $"{version}_{name}.sql"), $"-- migrate:up\n-- {words}\n\n-- migrate:down\n"));
                break;
            case MigrationLayout.GolangMigrate:
                version = Timestamp(layout, location, utcNow);
                files.Add((MigrationKind.Versioned, Path.Combine(location, $"{version}_{name}.up.sql"), $"-- {words}\n"));
                if (withUndo) files.Add((MigrationKind.Undo, Path.Combine(location, $"{version}_{name}.down.sql"), $"-- Undoes {version}: {words}\n"));
                break;
            default:
                version = Next(FlywayLayout.Versions([location]).LastOrDefault());
                files.Add((MigrationKind.Versioned, Path.Combine(location, $"V{version}__{name}.sql"), $"-- {words}\n"));
                if (withUndo) files.Add((MigrationKind.Undo, Path.Combine(location, $"U{version}__{name}.sql"), $"-- Undoes V{version}: {words}\n"));
                break;
        }
        if (files.Select(f => Path.GetFileName(f.Path)).FirstOrDefault(n => System.Text.Encoding.UTF8.GetByteCount(n) > MaxFileNameBytes) is { } tooLong)
            throw Errors.Parameter(ErrorCatalog.InvalidDescription,
                $"the description makes a file name of {System.Text.Encoding.UTF8.GetByteCount(tooLong)} bytes ({tooLong[..40]}...), and file systems allow {MaxFileNameBytes}: shorten it", description);
        if (files.FirstOrDefault(f => File.Exists(f.Path)) is { Path: { } existing })
            throw new SchemaOpsException(ErrorCatalog.MigrationFileExists, $"{existing} already exists: nothing was created", existing, version: version);

        var created = new List<MigrationFile>();
        foreach (var (kind, path, text) in files)
        {
            if (!sink.ShouldProcess(path, "Create migration file")) continue;
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew); // never overwrite, even if one appeared meanwhile
                using var writer = new StreamWriter(stream);
                writer.Write(text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SchemaOpsException(ErrorCatalog.MigrationFileNotCreated, $"cannot create {path}: {e.Message}", path, inner: e);
            }
            var file = new MigrationFile { Version = MigrationVersion.Parse(version), Description = words, Kind = kind, Path = path };
            created.Add(file);
            sink.WriteObject(file);
        }
        return created;
    }

    /// <summary>The UTC time as yyyyMMddHHmmss, or one more than the highest existing version when the clock is not past it.</summary>
    private static string Timestamp(MigrationLayout layout, string location, DateTime? utcNow)
    {
        var existing = MigrationLayouts.Scan(layout, [location], new ScanOptions()).Scripts;
        var now = BigInteger.Parse((utcNow ?? DateTime.UtcNow).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture));
        var highest = existing.Where(s => s.Version is not null).Select(s => BigInteger.Parse(s.Version!.Text)).DefaultIfEmpty(BigInteger.MinusOne).Max();
        return BigInteger.Max(now, highest + 1).ToString();
    }

    /// <summary>The version after <paramref name="highest"/>: its last part plus one, keeping that part's width.</summary>
    public static string Next(string? highest)
    {
        if (highest is null) return "1";
        var parts = highest.Split('.');
        var last = parts[^1];
        parts[^1] = (BigInteger.Parse(last) + 1).ToString().PadLeft(last.Length, '0');
        return string.Join('.', parts);
    }
}
