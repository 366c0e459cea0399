using System.Collections;
using System.Management.Automation;

namespace SchemaOps.Commands;

/// <summary>
/// For parameters that also bind by property name: a null value (a piped object whose property is not set, like
/// a MigrationTarget without a Table) binds as "not given"; an empty string or array given on purpose is an error.
/// </summary>
public sealed class ValidateNotEmptyAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject ps ? ps.BaseObject : arguments;
        var empty = value switch
        {
            string s => s.Length == 0,
            IEnumerable items => !items.Cast<object?>().Any() || items.Cast<object?>().Any(i => i is null || i is string { Length: 0 }),
            _ => false,
        };
        if (empty) throw new ValidationMetadataException("The argument is empty. Give a value, or leave the parameter out for the default.");
    }
}

/// <summary>
/// Durations spelled as the config file and the CLI spell them (500ms, 2s, 5m, 1h), as hh:mm:ss, or as a TimeSpan.
/// A bare number is refused: PowerShell would read 5 as five ticks, and '2' as two days. PowerShell's parser
/// reads an unquoted 2s as the [short] literal 2, which can only have been written that way: seconds.
/// </summary>
public sealed class DurationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value switch
        {
            null or TimeSpan => value,
            short seconds when seconds >= 0 => TimeSpan.FromSeconds(seconds),
            string s when Durations.TryParse(s, out var duration) => duration,
            _ => throw new ArgumentTransformationMetadataException(
                $"'{value}' is not a duration: write it with its unit ({Durations.Examples}) or as a TimeSpan; a bare number is ambiguous."),
        };
    }
}

/// <summary>Keeps the engine call out of the attributes' own code, so PowerShell can inspect them before the engine loads.</summary>
internal static class Durations
{
    public static string Examples => Engine.Configuration.DurationText.Examples;

    public static bool TryParse(string text, out TimeSpan duration) => Engine.Configuration.DurationText.TryParse(text, out duration, unitRequired: true);
}
