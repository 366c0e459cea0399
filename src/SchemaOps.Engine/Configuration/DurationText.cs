using System.Globalization;

namespace SchemaOps.Engine.Configuration;

/// <summary>
/// Durations as people write them in options, config files and cmdlet parameters: 500ms, 30s, 5m, 1h, or
/// hh:mm:ss. A bare number means seconds in config files and CLI options (Flyway's habit); the cmdlets refuse
/// it, since PowerShell would otherwise read it as ticks.
/// </summary>
public static class DurationText
{
    public const string Examples = "500ms, 30s, 5m, 1h or hh:mm:ss";

    public static bool TryParse(string text, out TimeSpan duration, bool unitRequired = false)
    {
        text = text.Trim();
        duration = default;
        if (text.Contains(':'))
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, unitRequired ? double.NaN : 1.0);
        var ok = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n * unit)
                 && n * unit <= TimeSpan.MaxValue.TotalSeconds;
        duration = ok ? TimeSpan.FromSeconds(n * unit) : default;
        return ok;
    }
}
