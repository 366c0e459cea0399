using System.Management.Automation;
using System.Text.RegularExpressions;

namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// Help as Get-Help shows it, in both layouts users import (the repository's root manifest and the module folder
/// as published), complete and current. Set SCHEMAOPS_UPDATE_HELP=1 to regenerate module/en-US/SchemaOps.dll-Help.xml.
/// </summary>
public class HelpTests(ModuleSession module) : IClassFixture<ModuleSession>
{
    public static TheoryData<string> Cmdlets() => ModuleSession.Names();

    public static TheoryData<string> Layouts() => new() { "repository root", "module folder" };

    private static string ManifestOf(string layout) => layout == "repository root" ? Repo.Manifest : Path.Combine(Repo.BuildFolder, "SchemaOps.psd1");

    [Fact]
    public void The_help_file_is_generated_from_its_source()
    {
        var generated = MamlGenerator.Generate(module.Cmdlets);
        if (Environment.GetEnvironmentVariable("SCHEMAOPS_UPDATE_HELP") == "1") File.WriteAllText(MamlGenerator.OutputPath, generated);
        Assert.True(File.Exists(MamlGenerator.OutputPath), "run the tests once with SCHEMAOPS_UPDATE_HELP=1");
        Assert.True(generated == File.ReadAllText(MamlGenerator.OutputPath),
            "module/en-US/SchemaOps.dll-Help.xml is out of date with module/help/SchemaOps.help.json or the cmdlets: run the tests with SCHEMAOPS_UPDATE_HELP=1, then build");
        Assert.True(generated == File.ReadAllText(Path.Combine(Repo.BuildFolder, "en-US", "SchemaOps.dll-Help.xml")), "out/build holds older help: build again");
    }

    [Fact]
    public void The_help_source_documents_exactly_the_cmdlets_that_exist()
    {
        var documented = MamlGenerator.Source().GetProperty("cmdlets").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(module.Cmdlets.Select(c => c.Name), documented);
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
        var source = MamlGenerator.Source();
        Assert.All(MamlGenerator.ParametersOf(module.Cmdlet(name)),
            p => Assert.False(string.IsNullOrWhiteSpace(MamlGenerator.Describe(source, name, p.Name)), $"{name} -{p.Name} has no description"));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Inputs_are_documented_exactly_when_the_cmdlet_takes_pipeline_input(string name)
    {
        var takesInput = module.Cmdlet(name).Parameters.Values.Any(p => p.Attributes.OfType<ParameterAttribute>().Any(a => a.ValueFromPipeline || a.ValueFromPipelineByPropertyName));
        var inputs = MamlGenerator.Inputs(MamlGenerator.Source().GetProperty("cmdlets").GetProperty(name)).ToList();
        if (takesInput) Assert.DoesNotContain(inputs, i => i.Type == "None");
        else Assert.Equal("None", Assert.Single(inputs).Type);
    }

    [Fact]
    public void Examples_use_only_parameters_that_exist()
    {
        var cmdlets = module.Cmdlets.ToDictionary(c => c.Name);
        var examples = MamlGenerator.Source().GetProperty("cmdlets").EnumerateObject()
            .SelectMany(c => c.Value.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("code").GetString()!));
        foreach (var code in examples)
            foreach (Match call in Regex.Matches(code, @"\b(\w+-\w+)\b([^|\n]*)"))
            {
                if (!cmdlets.TryGetValue(call.Groups[1].Value, out var cmdlet)) continue; // not ours (Where-Object, Export-Csv...)
                var known = cmdlet.Parameters.Values.SelectMany(p => p.Aliases.Append(p.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (Match parameter in Regex.Matches(call.Groups[2].Value, @"(?<=\s)-(\w+)"))
                    Assert.True(known.Contains(parameter.Groups[1].Value), $"example `{code}` uses -{parameter.Groups[1].Value}, which {cmdlet.Name} does not have");
            }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Get_Help_shows_every_cmdlets_own_help_in_both_layouts(string layout)
    {
        using var pwsh = new Pwsh(ManifestOf(layout));
        var source = MamlGenerator.Source().GetProperty("cmdlets");
        foreach (var cmdlet in module.Cmdlets)
        {
            var help = Assert.Single(pwsh.Run($"Get-Help {cmdlet.Name} -Full").Succeeded().Output);
            Assert.Equal(source.GetProperty(cmdlet.Name).GetProperty("synopsis").GetString(), ((string)help.Properties["Synopsis"].Value).Trim());
            var examples = pwsh.Run($"@((Get-Help {cmdlet.Name} -Examples).examples.example).Count").Succeeded().Single<int>();
            Assert.Equal(source.GetProperty(cmdlet.Name).GetProperty("examples").GetArrayLength(), examples);
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Syntax_shows_one_line_per_parameter_set_with_WhatIf_and_Confirm_where_they_apply(string name)
    {
        var cmdlet = module.Cmdlet(name);
        var lines = module.Pwsh.Run($"(Get-Help {name}).syntax.syntaxItem | ForEach-Object {{ @($_.parameter.name) -join ' ' }}").Succeeded().Output.Select(o => o.ToString()).ToList();
        var expected = MamlGenerator.SetsOf(cmdlet).Select(s => string.Join(' ', MamlGenerator.SyntaxOf(s).Select(p => p.Name))).ToList();
        Assert.Equal(expected, lines);
        var supportsShouldProcess = cmdlet.Parameters.ContainsKey("WhatIf");
        Assert.All(lines, line => Assert.Equal(supportsShouldProcess, line.EndsWith("WhatIf Confirm")));
        var text = module.Pwsh.Run($"Get-Help {name} | Out-String -Width 300").Succeeded().Text;
        Assert.Equal(cmdlet.ParameterSets.Count, Regex.Matches(text, $@"^\s+{name} ", RegexOptions.Multiline).Count);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Inputs_and_outputs_show_in_full_help(string name)
    {
        var text = module.Pwsh.Run($"Get-Help {name} -Full | Out-String -Width 200").Succeeded().Text;
        var inputs = Regex.Match(text, @"INPUTS\s*\n(.*?)\n\s*OUTPUTS", RegexOptions.Singleline).Groups[1].Value;
        Assert.False(string.IsNullOrWhiteSpace(inputs), $"{name}: INPUTS is empty");
        foreach (var type in module.Cmdlet(name).OutputType) Assert.Contains(type.Name, text[text.IndexOf("OUTPUTS", StringComparison.Ordinal)..]);
    }

    [Theory]
    [InlineData("about_SchemaOps")]
    [InlineData("about_SchemaOps_Runbooks")]
    public void About_topics_are_found_by_Get_Help_and_the_main_one_names_every_cmdlet(string topic)
    {
        foreach (var layout in new[] { "repository root", "module folder" })
        {
            using var pwsh = new Pwsh(ManifestOf(layout));
            var text = pwsh.Run($"Get-Help {topic} | Out-String").Succeeded().Text;
            Assert.Contains($"about_SchemaOps", text);
            if (topic == "about_SchemaOps") Assert.All(module.Cmdlets, c => Assert.Contains(c.Name, text));
        }
    }
}
