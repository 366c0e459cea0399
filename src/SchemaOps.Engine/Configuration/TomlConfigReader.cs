using System.Globalization;
using Tomlyn;
using Tomlyn.Parsing;

namespace SchemaOps.Engine.Configuration;

/// <summary>
/// Reads a flyway.toml with Tomlyn (a TOML 1.1 parser): every valid TOML file loads, whatever other tools keep in
/// it (arrays of tables, dates, multi-line strings, nested arrays). Each value becomes an entry named by its path
/// of table and key names and the line it is on; values SchemaOps does not take as a setting (a list holding
/// tables or lists) stay in the entry as they are, so using one as a setting is an error naming its key. A key
/// given twice is an error (TOML forbids it; Tomlyn's streaming parser does not check).
/// </summary>
internal static class TomlConfigReader
{
    /// <summary>What a list holding tables, lists or mixed values is read as: nothing a setting accepts.</summary>
    private sealed class Structured : List<object>;

    /// <summary>A table or list being read: its path and, for a list, what it holds so far.</summary>
    private sealed record Frame(List<string> Path, int Line, List<object>? Items)
    {
        public bool IsList => Items is not null;
    }

    public static List<ConfigEntry> Read(string file, string text)
    {
        var entries = new List<ConfigEntry>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new Stack<Frame>();
        string? key = null;
        var keyLine = 1;

        List<string> ChildPath()
        {
            if (frames.Count == 0) return [];
            var parent = frames.Peek();
            var child = parent.IsList ? parent.Items!.Count.ToString(CultureInfo.InvariantCulture) : key ?? "";
            key = null;
            return [.. parent.Path, child];
        }

        void Value(object value, int line)
        {
            if (frames.TryPeek(out var top) && top.IsList)
            {
                top.Items!.Add(value);
                return;
            }
            var path = ChildPath();
            var id = string.Join('\0', path);
            if (!firstLine.TryAdd(id, line))
                throw Error(file, line, $"'{string.Join('.', path)}' is given twice (first on line {firstLine[id]})");
            entries.Add(new ConfigEntry(path, new RawValue(value, file, line)));
        }

        try
        {
            var parser = TomlParser.Create(text, new TomlParserOptions { Mode = TomlParserMode.Strict });
            while (parser.MoveNext())
            {
                var e = parser.Current;
                switch (e.Kind)
                {
                    case TomlParseEventKind.PropertyName:
                        (key, keyLine) = (parser.GetPropertyName(), e.Line);
                        break;
                    case TomlParseEventKind.StartTable:
                        var path = ChildPath();
                        if (frames.TryPeek(out var holder) && holder.IsList) holder.Items!.Add(new Structured()); // [[array.of.tables]] or [{...}]
                        frames.Push(new Frame(path, keyLine, null));
                        break;
                    case TomlParseEventKind.StartArray:
                        frames.Push(new Frame(ChildPath(), keyLine, []));
                        break;
                    case TomlParseEventKind.EndTable:
                        frames.Pop();
                        break;
                    case TomlParseEventKind.EndArray:
                        var list = frames.Pop();
                        if (list.Items!.All(i => i is Structured) && list.Items!.Count > 0) break; // an array of tables: its keys are entries
                        // Back in the parent, the list is the value of the key that opened it.
                        key = list.Path[^1];
                        if (list.Items!.All(i => i is string)) Value(list.Items!.Cast<string>().ToList(), list.Line);
                        else
                        {
                            var structured = new Structured();
                            structured.AddRange(list.Items!);
                            Value(structured, list.Line);
                        }
                        break;
                    case TomlParseEventKind.String:
                        Value(parser.GetString(), e.Line);
                        break;
                    case TomlParseEventKind.Boolean:
                        Value(e.GetBoolean(), e.Line);
                        break;
                    case TomlParseEventKind.Integer:
                        Value((double)e.GetInt64(), e.Line);
                        break;
                    case TomlParseEventKind.Float:
                        Value(e.GetDouble(), e.Line);
                        break;
                    case TomlParseEventKind.DateTime:
                        Value(e.GetTomlDateTime().ToString(), e.Line); // as written; a setting that wants something else says so
                        break;
                }
            }
        }
        catch (TomlException ex)
        {
            var what = ex.Message[(ex.Message.IndexOf(": error : ", StringComparison.Ordinal) is var at and >= 0 ? at + 10 : 0)..];
            // The first diagnostic only: the others follow from it. Tomlyn joins them with the two characters \n, not a newline.
            what = what.Split(["\\n", "\n"], StringSplitOptions.None)[0].TrimEnd();
            // Tomlyn quotes the token it stopped at, which may be part of a password: only punctuation is kept.
            what = System.Text.RegularExpressions.Regex.Replace(what, "`[^`]{3,}`", "a value");
            throw Error(file, ex.Line is > 0 and var line ? line : 1, what.TrimEnd('.'));
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "utf32")
        {
            // Tomlyn's lexer, wording its error for a \u or \U escape that the end of the file cuts off, turns the end
            // (-1) into a character and throws: that is the one way it gets here.
            throw Error(file, text.Split('\n').Length, "the file ends inside a string's \\u or \\U escape");
        }
        return entries;
    }

    private static SchemaOpsException Error(string file, int line, string what) =>
        Errors.Input(ErrorCatalog.InvalidConfigFile, $"{file}:{line}: {what}", file, line);
}
