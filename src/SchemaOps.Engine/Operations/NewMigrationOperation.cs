using System.Numerics;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>
/// Creates the next versioned migration (and its undo companion) in a Flyway-layout folder: the version
/// after the highest existing one (its last part plus one, width kept: 1.9 -> 1.10, 007 -> 008), 1 in an
/// empty folder. Never overwrites a file.
/// </summary>
public static class NewMigrationOperation
{
    private static readonly char[] Forbidden = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

    public static IReadOnlyList<MigrationFile> Create(string location, string description, bool withUndo, IOperationSink sink)
    {
        var words = description.Trim();
        if (words.Length == 0) throw Errors.InvalidArgument("InvalidDescription", "a migration needs a description (e.g. \"add users email\")");
        if (words.IndexOfAny(Forbidden) >= 0)
            throw Errors.InvalidArgument("InvalidDescription", $"the description '{description}' holds a character that cannot be in a file name ({string.Join(' ', Forbidden)})");
        Directory.CreateDirectory(location);

        var version = Next(FlywayLayout.Versions([location]).LastOrDefault());
        var name = string.Join('_', words.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var files = new List<(MigrationKind Kind, string Path, string Text)>
        {
            (MigrationKind.Versioned, Path.Combine(location, $"V{version}__{name}.sql"), $"-- {words}\n"),
        };
        if (withUndo) files.Add((MigrationKind.Undo, Path.Combine(location, $"U{version}__{name}.sql"), $"-- Undoes V{version}: {words}\n"));
        if (files.FirstOrDefault(f => File.Exists(f.Path)) is { Path: { } existing })
            throw new SchemaOpsException("MigrationFileExists", SchemaOpsErrorCategory.InvalidOperation, $"{existing} already exists: nothing was created", existing, version: version);

        var created = new List<MigrationFile>();
        foreach (var (kind, path, text) in files)
        {
            if (!sink.ShouldProcess(path, "Create migration file")) continue;
            using (var stream = new FileStream(path, FileMode.CreateNew)) // never overwrite, even if one appeared meanwhile
            using (var writer = new StreamWriter(stream)) writer.Write(text);
            var file = new MigrationFile { Version = version, Description = words, Kind = kind, Path = path };
            created.Add(file);
            sink.WriteObject(file);
        }
        return created;
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
