using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SchemaOps.Module.Tests;

/// <summary>The format and types files name only types and properties that exist.</summary>
public class ViewAndTypeFileTests
{
    private static readonly string Module = Path.Combine(ModuleContractTests.Root, "module");

    private static Type? Find(string name) =>
        new[] { typeof(MigrationInfo).Assembly, typeof(MigrationTarget).Assembly }.Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);

    [Fact]
    public void Every_view_names_an_existing_type_and_existing_properties()
    {
        foreach (var view in XDocument.Load(Path.Combine(Module, "SchemaOps.Format.ps1xml")).Descendants("View"))
        {
            var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;
            var type = Find(typeName);
            Assert.True(type is not null, $"view {view.Element("Name")!.Value} selects {typeName}, which does not exist");
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
                Assert.True(type!.GetProperty(property) is not null, $"view {view.Element("Name")!.Value} shows {typeName}.{property}, which does not exist");
        }
    }

    [Fact]
    public void Every_type_extension_reads_properties_that_exist()
    {
        foreach (var type in XDocument.Load(Path.Combine(Module, "SchemaOps.Types.ps1xml")).Descendants("Type"))
        {
            var name = type.Element("Name")!.Value;
            var target = Find(name);
            Assert.True(target is not null, $"the types file extends {name}, which does not exist");
            foreach (var script in type.Descendants("GetScriptBlock").Select(s => s.Value))
                foreach (Match used in Regex.Matches(script, @"\$this\.(\w+)"))
                    Assert.True(target!.GetProperty(used.Groups[1].Value) is not null, $"{name}: the types file reads $this.{used.Groups[1].Value}, which does not exist");
        }
    }
}
