using System.Globalization;
using System.Text;

namespace SchemaOps.Engine.Configuration;

/// <summary>
/// Reads the part of TOML that flyway.toml files use: [table] headers with dotted and quoted keys,
/// key = value with basic and literal strings, booleans, numbers, arrays of strings (over several lines)
/// and inline tables; # comments. Anything else (dates, multi-line strings, arrays of tables) is refused
/// with its line, never misread.
/// </summary>
internal sealed class TomlConfigReader
{
    private readonly string _file;
    private readonly string _text;
    private int _pos;
    private int _line = 1;

    private TomlConfigReader(string file, string text) => (_file, _text) = (file, text);

    public static List<ConfigEntry> Read(string file, string text) => new TomlConfigReader(file, text).ReadAll();

    private List<ConfigEntry> ReadAll()
    {
        var entries = new List<ConfigEntry>();
        List<string> table = [];
        while (true)
        {
            SkipBlank(newlines: true);
            if (AtEnd) return entries;
            if (Peek == '[')
            {
                _pos++;
                if (Peek == '[') throw Error("arrays of tables ([[...]]) are not supported in a SchemaOps-read flyway.toml");
                SkipBlank(newlines: false);
                table = ReadKey();
                Expect(']');
            }
            else
            {
                var line = _line;
                var key = ReadKey();
                Expect('=');
                Add(entries, [.. table, .. key], ReadValue(), line);
            }
            EndOfLine();
        }
    }

    private void Add(List<ConfigEntry> entries, List<string> path, object value, int line)
    {
        if (value is List<(List<string> Key, object Value)> inlineTable)
            foreach (var (key, inner) in inlineTable) Add(entries, [.. path, .. key], inner, line);
        else entries.Add(new ConfigEntry(path, new RawValue(value, _file, line)));
    }

    private List<string> ReadKey()
    {
        var parts = new List<string>();
        while (true)
        {
            SkipBlank(newlines: false);
            if (Peek is '"' or '\'') parts.Add(ReadString());
            else
            {
                var start = _pos;
                while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '-')) _pos++;
                if (_pos == start) throw Error("a key was expected");
                parts.Add(_text[start.._pos]);
            }
            SkipBlank(newlines: false);
            if (Peek != '.') return parts;
            _pos++;
        }
    }

    private object ReadValue()
    {
        SkipBlank(newlines: false);
        if (AtEnd) throw Error("a value was expected");
        switch (Peek)
        {
            case '"' or '\'':
                return ReadString();
            case '[':
                _pos++;
                var items = new List<string>();
                while (true)
                {
                    SkipBlank(newlines: true);
                    if (Peek == ']') { _pos++; return items; }
                    items.Add(ReadValue() as string ?? throw Error("only lists of strings are supported"));
                    SkipBlank(newlines: true);
                    if (Peek == ',') _pos++;
                    else if (Peek != ']') throw Error("',' or ']' was expected in the list");
                }
            case '{':
                _pos++;
                var pairs = new List<(List<string>, object)>();
                while (true)
                {
                    SkipBlank(newlines: false);
                    if (Peek == '}') { _pos++; return pairs; }
                    var key = ReadKey();
                    Expect('=');
                    pairs.Add((key, ReadValue()));
                    SkipBlank(newlines: false);
                    if (Peek == ',') _pos++;
                    else if (Peek != '}') throw Error("',' or '}' was expected in the inline table");
                }
        }
        var start = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '+' or '-' or '.' or '_' or ':')) _pos++;
        var word = _text[start.._pos];
        if (word is "true" or "false") return word == "true";
        return double.TryParse(word.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Error(word.Length == 0 ? "a value was expected" : $"'{word}' is not a value SchemaOps reads (strings, booleans, numbers, lists of strings)");
    }

    private string ReadString()
    {
        var quote = _text[_pos++];
        if (_pos + 1 < _text.Length && _text[_pos] == quote && _text[_pos + 1] == quote) throw Error("multi-line strings are not supported");
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek == '\n') throw Error("the string is not closed on its line");
            var c = _text[_pos++];
            if (c == quote) return value.ToString();
            if (c != '\\' || quote == '\'') { value.Append(c); continue; }
            if (AtEnd) throw Error("the string is not closed on its line");
            var escape = _text[_pos++];
            switch (escape)
            {
                case 'b': value.Append('\b'); break;
                case 't': value.Append('\t'); break;
                case 'n': value.Append('\n'); break;
                case 'f': value.Append('\f'); break;
                case 'r': value.Append('\r'); break;
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                case 'u' or 'U':
                    var length = escape == 'u' ? 4 : 8;
                    if (_pos + length > _text.Length || !int.TryParse(_text.AsSpan(_pos, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        throw Error($"\\{escape} needs {length} hex digits");
                    value.Append(char.ConvertFromUtf32(code));
                    _pos += length;
                    break;
                default: throw Error($"unknown escape \\{escape}");
            }
        }
    }

    private bool AtEnd => _pos >= _text.Length;
    private char Peek => AtEnd ? '\0' : _text[_pos];

    private void SkipBlank(bool newlines)
    {
        while (!AtEnd)
        {
            var c = Peek;
            if (c == '#') while (!AtEnd && Peek != '\n') _pos++;
            else if (c is ' ' or '\t' or '\r') _pos++;
            else if (c == '\n' && newlines) { _pos++; _line++; }
            else return;
        }
    }

    private void Expect(char c)
    {
        SkipBlank(newlines: false);
        if (Peek != c) throw Error($"'{c}' was expected");
        _pos++;
    }

    private void EndOfLine()
    {
        SkipBlank(newlines: false);
        if (!AtEnd && Peek != '\n') throw Error("one key = value per line was expected");
    }

    private SchemaOpsException Error(string what) => Errors.Input(ErrorCatalog.InvalidConfigFile, $"{_file}:{_line}: {what}", _file, _line);
}
