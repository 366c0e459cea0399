using System.Globalization;

namespace SchemaOps.Engine.Configuration;

/// <summary>Durations as people write them in options and config files: 30 (seconds), 500ms, 30s, 5m.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        text = text.Trim();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        var ok = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n);
        duration = ok ? TimeSpan.FromSeconds(n * unit) : default;
        return ok;
    }
}
