using System.Text.RegularExpressions;

namespace SchemaOps.Module.Tests;

/// <summary>Help is complete and current. Set SCHEMAOPS_UPDATE_HELP=1 to regenerate en-US/SchemaOps.dll-Help.xml from its source.</summary>
public class HelpTests
{
    private static readonly string[] CommonParameters =
    [
        "WhatIf", "Confirm", "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction",
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    ];

    [Fact]
    public void The_help_file_is_generated_from_its_source()
    {
        var generated = MamlGenerator.Generate();
        if (Environment.GetEnvironmentVariable("SCHEMAOPS_UPDATE_HELP") == "1") File.WriteAllText(MamlGenerator.OutputPath, generated);
        Assert.True(File.Exists(MamlGenerator.OutputPath), "run the tests once with SCHEMAOPS_UPDATE_HELP=1");
        Assert.True(generated == File.ReadAllText(MamlGenerator.OutputPath),
            "en-US/SchemaOps.dll-Help.xml is out of date with module/help/SchemaOps.help.json or the cmdlets: run the tests with SCHEMAOPS_UPDATE_HELP=1");
    }

    [Fact]
    public void The_help_source_documents_exactly_the_cmdlets_that_exist()
    {
        var documented = MamlGenerator.Source().GetProperty("cmdlets").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(CmdletMetadata.All().Select(c => c.Name).Order(), documented);
    }

    public static TheoryData<string> Cmdlets()
    {
        var data = new TheoryData<string>();
        foreach (var c in CmdletMetadata.All()) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_cmdlet_has_a_synopsis_a_description_and_two_examples_simplest_first(string name)
    {
        var doc = MamlGenerator.Source().GetProperty("cmdlets").GetProperty(name);
        Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty("synopsis").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty("description").GetString()));
        var examples = doc.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("code").GetString()!).ToList();
        Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s)");
        Assert.StartsWith(name, examples[0]); // the simplest use comes first
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_parameter_is_described(string name)
    {
        var cmdlet = CmdletMetadata.All().Single(c => c.Name == name);
        var source = MamlGenerator.Source();
        Assert.All(cmdlet.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(MamlGenerator.Describe(source, name, p.Name)), $"{name} -{p.Name} has no description"));
    }

    [Fact]
    public void Examples_use_only_parameters_that_exist()
    {
        var cmdlets = CmdletMetadata.All().ToDictionary(c => c.Name);
        var examples = MamlGenerator.Source().GetProperty("cmdlets").EnumerateObject()
            .SelectMany(c => c.Value.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("code").GetString()!));
        foreach (var code in examples)
            foreach (Match call in Regex.Matches(code, @"\b(\w+-\w+)\b([^|\n]*)"))
            {
                if (!cmdlets.TryGetValue(call.Groups[1].Value, out var cmdlet)) continue; // not ours (Where-Object, Export-Csv...)
                var known = cmdlet.Parameters.SelectMany(p => p.Aliases.Append(p.Name)).Concat(CommonParameters).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (Match parameter in Regex.Matches(call.Groups[2].Value, @"(?<=\s)-(\w+)"))
                    Assert.True(known.Contains(parameter.Groups[1].Value), $"example `{code}` uses -{parameter.Groups[1].Value}, which {cmdlet.Name} does not have");
            }
    }

    [Theory]
    [InlineData("about_SchemaOps.help.txt")]
    [InlineData("about_SchemaOps_Runbooks.help.txt")]
    public void About_topics_exist_and_name_every_cmdlet(string topic)
    {
        var text = File.ReadAllText(Path.Combine(ModuleContractTests.Root, "module", "en-US", topic));
        Assert.StartsWith("TOPIC", text);
        if (topic == "about_SchemaOps.help.txt")
            Assert.All(CmdletMetadata.All(), c => Assert.Contains(c.Name, text));
    }
}
