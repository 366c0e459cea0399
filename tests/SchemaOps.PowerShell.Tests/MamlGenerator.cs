using System.Management.Automation;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// Writes MAML help (module/en-US/SchemaOps.dll-Help.xml) from the one source of the words
/// (module/help/SchemaOps.help.json) and the cmdlets as PowerShell itself sees them (Get-Command): one syntax
/// per parameter set with -WhatIf/-Confirm where they apply, every parameter, the pipeline inputs and the
/// outputs. Help can never describe a parameter that does not exist.
/// </summary>
public static class MamlGenerator
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>PowerShell's common parameters, which Get-Help adds itself as [&lt;CommonParameters&gt;].</summary>
    public static readonly HashSet<string> CommonParameters = new(System.Management.Automation.Cmdlet.CommonParameters, StringComparer.OrdinalIgnoreCase);

    public static string SourcePath => Path.Combine(Repo.Root, "module", "help", "SchemaOps.help.json");
    public static string OutputPath => Path.Combine(Repo.Root, "module", "en-US", "SchemaOps.dll-Help.xml");

    public static JsonElement Source() => JsonDocument.Parse(File.ReadAllText(SourcePath)).RootElement;

    /// <summary>The description of a parameter: the cmdlet's own text, else the shared one.</summary>
    public static string? Describe(JsonElement source, string cmdlet, string parameter) =>
        source.GetProperty("cmdlets").TryGetProperty(cmdlet, out var c) && c.GetProperty("parameters").TryGetProperty(parameter, out var own) ? own.GetString()
        : source.GetProperty("commonParameters").TryGetProperty(parameter, out var common) ? common.GetString() : null;

    /// <summary>A parameter set's own parameters as its syntax line shows them: positional first, then mandatory, then the rest, -WhatIf and -Confirm last.</summary>
    public static IEnumerable<CommandParameterInfo> SyntaxOf(CommandParameterSetInfo set) =>
        set.Parameters.Where(p => !CommonParameters.Contains(p.Name))
            .OrderBy(p => p.Name is "WhatIf" or "Confirm" ? 1 : 0)
            .ThenBy(p => p.Position < 0 ? int.MaxValue : p.Position)
            .ThenBy(p => p.IsMandatory ? 0 : 1);

    /// <summary>Every parameter once, in the order of the default set's syntax, then the other sets'.</summary>
    public static IEnumerable<CommandParameterInfo> ParametersOf(CmdletInfo cmdlet) =>
        SetsOf(cmdlet).SelectMany(SyntaxOf).DistinctBy(p => p.Name);

    /// <summary>The parameter sets, the default one first.</summary>
    public static IEnumerable<CommandParameterSetInfo> SetsOf(CmdletInfo cmdlet) => cmdlet.ParameterSets.OrderBy(s => s.IsDefault ? 0 : 1);

    public static string Generate(IReadOnlyList<CmdletInfo> cmdlets)
    {
        var source = Source();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        var text = new StringBuilder();
        using (var w = XmlWriter.Create(text, settings))
        {
            w.WriteStartElement("helpItems", "http://msh");
            w.WriteAttributeString("schema", "maml");
            foreach (var cmdlet in cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                var doc = source.GetProperty("cmdlets").GetProperty(cmdlet.Name);
                w.WriteStartElement("command", "command", Command);
                w.WriteAttributeString("xmlns", "maml", null, Maml);
                w.WriteAttributeString("xmlns", "dev", null, Dev);

                w.WriteStartElement("command", "details", Command);
                w.WriteElementString("command", "name", Command, cmdlet.Name);
                w.WriteElementString("command", "verb", Command, cmdlet.Verb);
                w.WriteElementString("command", "noun", Command, cmdlet.Noun);
                Paragraphs(w, "description", doc.GetProperty("synopsis").GetString()!);
                w.WriteEndElement();
                Paragraphs(w, "description", doc.GetProperty("description").GetString()!);

                w.WriteStartElement("command", "syntax", Command);
                foreach (var set in SetsOf(cmdlet))
                {
                    w.WriteStartElement("command", "syntaxItem", Command);
                    w.WriteElementString("maml", "name", Maml, cmdlet.Name);
                    foreach (var p in SyntaxOf(set)) Parameter(w, p, null);
                    w.WriteEndElement();
                }
                w.WriteEndElement();

                w.WriteStartElement("command", "parameters", Command);
                foreach (var p in ParametersOf(cmdlet)) Parameter(w, p, Describe(source, cmdlet.Name, p.Name) ?? "");
                w.WriteEndElement();

                w.WriteStartElement("command", "inputTypes", Command);
                foreach (var input in Inputs(doc)) TypeWithText(w, "inputType", input.Type, input.Text);
                w.WriteEndElement();

                w.WriteStartElement("command", "returnValues", Command);
                foreach (var type in cmdlet.OutputType.Select(t => t.Name).Distinct()) TypeWithText(w, "returnValue", type, null);
                w.WriteEndElement();

                w.WriteStartElement("command", "examples", Command);
                var n = 0;
                foreach (var example in doc.GetProperty("examples").EnumerateArray())
                {
                    w.WriteStartElement("command", "example", Command);
                    w.WriteElementString("maml", "title", Maml, $"-------------------------- Example {++n}: {example.GetProperty("title").GetString()} --------------------------");
                    w.WriteElementString("dev", "code", Dev, example.GetProperty("code").GetString());
                    w.WriteStartElement("dev", "remarks", Dev);
                    w.WriteElementString("maml", "para", Maml, example.GetProperty("remarks").GetString());
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
                w.WriteEndElement();

                w.WriteStartElement("command", "relatedLinks", Command);
                w.WriteStartElement("maml", "navigationLink", Maml);
                w.WriteElementString("maml", "linkText", Maml, "Online version:");
                w.WriteElementString("maml", "uri", Maml, cmdlet.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).Cast<CmdletAttribute>().Single().HelpUri);
                w.WriteEndElement();
                w.WriteEndElement();

                w.WriteEndElement(); // command
            }
            w.WriteEndElement();
        }
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"") + "\n";
    }

    /// <summary>What the cmdlet takes from the pipeline, as its help source lists it ("None" when it lists nothing).</summary>
    public static IEnumerable<(string Type, string Text)> Inputs(JsonElement doc) =>
        doc.TryGetProperty("inputs", out var inputs)
            ? inputs.EnumerateArray().Select(i => (i.GetProperty("type").GetString()!, i.GetProperty("description").GetString()!))
            : [("None", "This cmdlet takes no input from the pipeline.")];

    private static void TypeWithText(XmlWriter w, string element, string type, string? text)
    {
        w.WriteStartElement("command", element, Command);
        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, type);
        w.WriteEndElement();
        if (text is not null) Paragraphs(w, "description", text);
        w.WriteEndElement();
    }

    private static void Paragraphs(XmlWriter w, string element, string text)
    {
        w.WriteStartElement("maml", element, Maml);
        w.WriteElementString("maml", "para", Maml, text);
        w.WriteEndElement();
    }

    private static void Parameter(XmlWriter w, CommandParameterInfo p, string? description)
    {
        var isSwitch = p.ParameterType == typeof(SwitchParameter);
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", p.IsMandatory ? "true" : "false");
        w.WriteAttributeString("globbing", p.Attributes.OfType<SupportsWildcardsAttribute>().Any() ? "true" : "false");
        w.WriteAttributeString("pipelineInput", (p.ValueFromPipeline, p.ValueFromPipelineByPropertyName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        });
        w.WriteAttributeString("position", p.Position < 0 ? "named" : p.Position.ToString());
        if (p.Aliases.Count > 0) w.WriteAttributeString("aliases", string.Join(", ", p.Aliases));
        w.WriteElementString("maml", "name", Maml, p.Name);
        if (description is not null) Paragraphs(w, "description", description);
        if (!isSwitch)
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", "true");
            w.WriteString(TypeName(p.ParameterType));
            w.WriteEndElement();
        }
        if (description is not null)
        {
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, TypeName(p.ParameterType));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static string TypeName(Type t) => t.IsArray ? TypeName(t.GetElementType()!) + "[]" : Nullable.GetUnderlyingType(t)?.Name ?? t.Name;
}
