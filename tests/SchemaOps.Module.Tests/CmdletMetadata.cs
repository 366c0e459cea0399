using System.Management.Automation;
using System.Reflection;

namespace SchemaOps.Module.Tests;

/// <summary>A cmdlet's name and parameters, read from raw attribute data (the reference assembly's attributes read back empty).</summary>
public sealed record CmdletInfo(Type Type, string Verb, string Noun, bool SupportsShouldProcess, string? ConfirmImpact, IReadOnlyList<ParameterInfo> Parameters)
{
    public string Name => $"{Verb}-{Noun}";
}

public sealed record ParameterInfo(string Name, Type Type, bool Mandatory, int? Position, bool FromPipeline, bool FromPipelineByName, string? ParameterSet, IReadOnlyList<string> Aliases);

public static class CmdletMetadata
{
    public static readonly Assembly Assembly = typeof(Commands.InvokeMigrationCommand).Assembly;

    public static IReadOnlyList<CmdletInfo> All() => Assembly.GetTypes().Select(Read).OfType<CmdletInfo>().OrderBy(c => c.Name).ToList();

    public static CmdletInfo? Read(Type t)
    {
        var a = t.GetCustomAttributesData().FirstOrDefault(x => x.AttributeType == typeof(CmdletAttribute));
        if (a is null) return null;
        var named = a.NamedArguments.ToDictionary(n => n.MemberName, n => n.TypedValue.Value);
        var parameters = t.GetProperties()
            .Select(p => (Property: p, Data: p.GetCustomAttributesData().Where(x => x.AttributeType == typeof(ParameterAttribute)).ToList()))
            .Where(x => x.Data.Count > 0)
            .SelectMany(x => x.Data.Select(d =>
            {
                var n = d.NamedArguments.ToDictionary(m => m.MemberName, m => m.TypedValue.Value);
                var aliases = x.Property.GetCustomAttributesData().Where(y => y.AttributeType == typeof(AliasAttribute))
                    .SelectMany(y => ((IEnumerable<CustomAttributeTypedArgument>)y.ConstructorArguments[0].Value!).Select(v => (string)v.Value!)).ToList();
                return new ParameterInfo(x.Property.Name, x.Property.PropertyType, n.GetValueOrDefault("Mandatory") is true,
                    n.GetValueOrDefault("Position") as int?, n.GetValueOrDefault("ValueFromPipeline") is true,
                    n.GetValueOrDefault("ValueFromPipelineByPropertyName") is true, n.GetValueOrDefault("ParameterSetName") as string, aliases);
            }))
            .OrderBy(p => p.Position ?? int.MaxValue).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var impact = named.GetValueOrDefault("ConfirmImpact") is int i ? ((ConfirmImpact)i).ToString() : null;
        return new CmdletInfo(t, (string)a.ConstructorArguments[0].Value!, (string)a.ConstructorArguments[1].Value!,
            named.GetValueOrDefault("SupportsShouldProcess") is true, impact, parameters);
    }

    public static IEnumerable<string> OutputTypes(Type cmdlet) =>
        cmdlet.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(a => ((Type)a.Value!).FullName!);
}
