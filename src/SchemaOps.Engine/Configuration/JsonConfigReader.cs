using System.Text.Json;

namespace SchemaOps.Engine.Configuration;

/// <summary>
/// Reads schemaops.json into entries with line numbers (so errors can point at them). Comments and
/// trailing commas are allowed; null means "not set"; lists hold strings only.
/// </summary>
internal static class JsonConfigReader
{
    public static List<ConfigEntry> Read(string file, byte[] bytes)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == '\n') lineStarts.Add(i + 1);
        int LineOf(long offset)
        {
            var index = lineStarts.BinarySearch((int)offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        var entries = new List<ConfigEntry>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Errors.Input(ErrorCatalog.InvalidConfigFile, $"{file}:1: a JSON object {{ ... }} was expected", file, 1);
            Walk(ref reader, [], entries);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            throw Errors.Input(ErrorCatalog.InvalidConfigFile, $"{file}:{line}: not valid JSON ({FirstSentence(e.Message)})", file, line);
        }
        return entries;

        void Walk(ref Utf8JsonReader r, List<string> path, List<ConfigEntry> into)
        {
            // r is on a StartObject
            while (r.Read() && r.TokenType != JsonTokenType.EndObject)
            {
                var name = r.GetString()!;
                r.Read();
                var line = LineOf(r.TokenStartIndex);
                path.Add(name);
                switch (r.TokenType)
                {
                    case JsonTokenType.StartObject:
                        Walk(ref r, path, into);
                        break;
                    case JsonTokenType.StartArray:
                        var items = new List<string>();
                        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                            items.Add(r.TokenType == JsonTokenType.String
                                ? r.GetString()!
                                : throw Errors.Input(ErrorCatalog.InvalidConfigValue, $"{file}:{line}: '{string.Join('.', path)}' must be a list of strings", file, line));
                        into.Add(new ConfigEntry(path.ToList(), new RawValue(items, file, line)));
                        break;
                    case JsonTokenType.String:
                        into.Add(new ConfigEntry(path.ToList(), new RawValue(r.GetString()!, file, line)));
                        break;
                    case JsonTokenType.Number:
                        into.Add(new ConfigEntry(path.ToList(), new RawValue(r.GetDouble(), file, line)));
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        into.Add(new ConfigEntry(path.ToList(), new RawValue(r.GetBoolean(), file, line)));
                        break;
                    // Null: the key says nothing.
                }
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    // System.Text.Json appends "Path: $ | LineNumber: ..." which repeats what the message already says.
    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].TrimEnd('.');
}
