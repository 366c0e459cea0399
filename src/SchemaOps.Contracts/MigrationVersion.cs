using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchemaOps;

/// <summary>
/// A Flyway version: dot-separated unbounded integers compared part by part, missing and trailing parts
/// being zero, so 1 == 1.0 == 01 and 1.9 &lt; 1.10. <see cref="Text"/> keeps the file's spelling
/// (underscores turned into dots, leading zeros kept) because that is what the history table stores.
/// Output objects carry versions as this type, so `Sort-Object Version` sorts 9 before 18 and
/// `$_.Version -gt '1.9'` compares as versions (PowerShell converts the string with <see cref="Parse"/>);
/// JSON and text show the spelling.
/// </summary>
[JsonConverter(typeof(MigrationVersionJsonConverter))]
public sealed class MigrationVersion : IComparable<MigrationVersion>, IComparable, IEquatable<MigrationVersion>
{
    private readonly BigInteger[] _parts; // trailing zeros trimmed, so equal versions have equal parts

    private readonly int _hash; // versions are dictionary keys by the ten thousand (planning, history): hashed once

    private MigrationVersion(string text, BigInteger[] parts)
    {
        Text = text;
        _parts = parts;
        var hash = new HashCode();
        foreach (var p in parts) hash.Add(p);
        _hash = hash.ToHashCode();
    }

    public string Text { get; }

    public static MigrationVersion Parse(string raw) =>
        TryParse(raw, out var v, out var error) ? v! : throw new SchemaOpsException(ErrorCatalog.InvalidVersion, error!, target: raw);

    public static bool TryParse(string raw, out MigrationVersion? version, out string? error)
    {
        version = null;
        error = null;
        var text = raw.Replace('_', '.'); // the same string when there is no '_'
        if (text.Length == 0)
        {
            error = "a version cannot be empty";
            return false;
        }
        // Read in place, without splitting: every file name and history row is parsed, 10,000 of them in a big project.
        var parts = new BigInteger[text.AsSpan().Count('.') + 1];
        var start = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var end = text.IndexOf('.', start) is var dot and >= 0 ? dot : text.Length;
            var piece = text.AsSpan(start, end - start);
            if (piece.Length == 0 || piece.ContainsAnyExceptInRange('0', '9'))
            {
                error = $"'{Printable.Escape(raw)}' is not a version: use digits separated by '.' or '_' (like 1, 1.2 or 2024_01_15)";
                return false;
            }
            parts[i] = piece.Length <= 18 ? ulong.Parse(piece, NumberStyles.None, CultureInfo.InvariantCulture)
                : BigInteger.Parse(piece, NumberStyles.None, CultureInfo.InvariantCulture);
            start = end + 1;
        }
        var length = parts.Length;
        while (length > 1 && parts[length - 1].IsZero) length--;
        version = new MigrationVersion(text, parts[..length]);
        return true;
    }

    public int CompareTo(MigrationVersion? other)
    {
        if (other is null) return 1;
        var n = Math.Max(_parts.Length, other._parts.Length);
        for (var i = 0; i < n; i++)
        {
            var a = i < _parts.Length ? _parts[i] : BigInteger.Zero;
            var b = i < other._parts.Length ? other._parts[i] : BigInteger.Zero;
            var c = a.CompareTo(b);
            if (c != 0) return c;
        }
        return 0;
    }

    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        MigrationVersion v => CompareTo(v),
        string s => CompareTo(Parse(s)),
        _ => throw new ArgumentException($"a version compares with a version, not with {obj.GetType().Name}", nameof(obj)),
    };

    public bool Equals(MigrationVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => obj is MigrationVersion v && Equals(v);

    public override int GetHashCode() => _hash;

    public static bool operator ==(MigrationVersion? a, MigrationVersion? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(MigrationVersion? a, MigrationVersion? b) => !(a == b);
    public static bool operator <(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => Text;
}

/// <summary>A version in JSON is its spelling, as in the history table: "1.2", not an object.</summary>
public sealed class MigrationVersionJsonConverter : JsonConverter<MigrationVersion>
{
    public override MigrationVersion? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null
        : MigrationVersion.TryParse(reader.TokenType == JsonTokenType.Number ? reader.GetDecimal().ToString(System.Globalization.CultureInfo.InvariantCulture) : reader.GetString()!,
            out var version, out var error) ? version : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, MigrationVersion value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
