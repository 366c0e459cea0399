using System.Xml.Linq;

namespace SchemaOps.Module.Tests;

/// <summary>The format file names only types and properties that exist.</summary>
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
}
