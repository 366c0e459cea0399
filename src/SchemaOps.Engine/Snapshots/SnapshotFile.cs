using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchemaOps.Engine.Snapshots;

/// <summary>Snapshots saved to and read from JSON (the same shape `--json` prints), written atomically.</summary>
public static class SnapshotFile
{
    /// <summary>Writes the file whole or not at all, owner-only.</summary>
    public static void Save(SchemaSnapshot snapshot, string path) =>
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(snapshot, SnapshotJson.Default.SchemaSnapshot), ErrorCatalog.SnapshotNotSaved, "the snapshot");

    public static SchemaSnapshot Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new SchemaOpsException(ErrorCatalog.SnapshotNotFound, $"snapshot file {full} does not exist", full);
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(full), SnapshotJson.Default.SchemaSnapshot)
                   ?? throw Errors.Input(ErrorCatalog.InvalidSnapshotFile, $"{full}: the file holds no snapshot", full);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            throw Errors.Input(ErrorCatalog.InvalidSnapshotFile, $"{full}:{line}: not a snapshot written by SchemaOps ({e.Message.Split(" Path:", 2)[0]})", full, line);
        }
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(SchemaSnapshot))]
internal sealed partial class SnapshotJson : JsonSerializerContext;
