using System.Text;
using System.Text.Json;
using System.Xml;

namespace SchemaOps.Module.Tests;

/// <summary>
/// Writes MAML help (en-US/SchemaOps.dll-Help.xml) from the one source of the words (module/help/SchemaOps.help.json)
/// and the cmdlets' real parameter metadata, so help can never describe a parameter that does not exist.
/// </summary>
public static class MamlGenerator
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string SourcePath => Path.Combine(ModuleContractTests.Root, "module", "help", "SchemaOps.help.json");
    public static string OutputPath => Path.Combine(ModuleContractTests.Root, "module", "en-US", "SchemaOps.dll-Help.xml");

    public static JsonElement Source() => JsonDocument.Parse(File.ReadAllText(SourcePath)).RootElement;

    /// <summary>The description of a parameter: the cmdlet's own text, else the shared one.</summary>
    public static string? Describe(JsonElement source, string cmdlet, string parameter) =>
        source.GetProperty("cmdlets").TryGetProperty(cmdlet, out var c) && c.GetProperty("parameters").TryGetProperty(parameter, out var own) ? own.GetString()
        : source.GetProperty("commonParameters").TryGetProperty(parameter, out var common) ? common.GetString() : null;

    public static string Generate()
    {
        var source = Source();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        var text = new StringBuilder();
        using (var w = XmlWriter.Create(text, settings))
        {
            w.WriteStartElement("helpItems", "http://msh");
            w.WriteAttributeString("schema", "maml");
            foreach (var cmdlet in CmdletMetadata.All())
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
                w.WriteStartElement("command", "syntaxItem", Command);
                w.WriteElementString("maml", "name", Maml, cmdlet.Name);
                foreach (var p in cmdlet.Parameters) Parameter(w, p, null);
                w.WriteEndElement();
                w.WriteEndElement();

                w.WriteStartElement("command", "parameters", Command);
                foreach (var p in cmdlet.Parameters) Parameter(w, p, Describe(source, cmdlet.Name, p.Name) ?? "");
                w.WriteEndElement();

                w.WriteStartElement("command", "returnValues", Command);
                foreach (var type in OutputTypes(cmdlet.Type))
                {
                    w.WriteStartElement("command", "returnValue", Command);
                    w.WriteStartElement("dev", "type", Dev);
                    w.WriteElementString("maml", "name", Maml, type);
                    w.WriteEndElement();
                    w.WriteEndElement();
                }
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
                w.WriteElementString("maml", "uri", Maml, "https://github.com/schemaops/schemaops/blob/main/README.md#the-powershell-module");
                w.WriteEndElement();
                w.WriteEndElement();

                w.WriteEndElement(); // command
            }
            w.WriteEndElement();
        }
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"") + "\n";
    }

    private static void Paragraphs(XmlWriter w, string element, string text)
    {
        w.WriteStartElement("maml", element, Maml);
        w.WriteElementString("maml", "para", Maml, text);
        w.WriteEndElement();
    }

    private static void Parameter(XmlWriter w, ParameterInfo p, string? description)
    {
        var isSwitch = p.Type.Name == "SwitchParameter";
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", p.Mandatory ? "true" : "false");
        w.WriteAttributeString("globbing", "false");
        w.WriteAttributeString("pipelineInput", p.FromPipeline ? (p.FromPipelineByName ? "True (ByValue, ByPropertyName)" : "True (ByValue)") : p.FromPipelineByName ? "True (ByPropertyName)" : "False");
        w.WriteAttributeString("position", p.Position?.ToString() ?? "named");
        if (p.Aliases.Count > 0) w.WriteAttributeString("aliases", string.Join(", ", p.Aliases));
        w.WriteElementString("maml", "name", Maml, p.Name);
        if (description is not null) Paragraphs(w, "description", description);
        if (!isSwitch)
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", "true");
            w.WriteString(TypeName(p.Type));
            w.WriteEndElement();
        }
        if (description is not null)
        {
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, TypeName(p.Type));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static string TypeName(Type t) => t.IsArray ? TypeName(t.GetElementType()!) + "[]" : Nullable.GetUnderlyingType(t)?.Name ?? t.Name;

    public static IEnumerable<string> OutputTypes(Type cmdlet) =>
        cmdlet.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
            .SelectMany(a => (IEnumerable<System.Reflection.CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(a => ((Type)a.Value!).FullName!);
}
