using System.Management.Automation;
using SchemaOps.Commands;

namespace SchemaOps.Module.Tests;

/// <summary>The parameters that should complete carry their completers (read from attribute data).</summary>
public class CompleterTests
{
    [Theory]
    [InlineData("Invoke-Migration", "Target", typeof(MigrationVersionCompleter))]
    [InlineData("Get-MigrationStatus", "Target", typeof(MigrationVersionCompleter))]
    [InlineData("Invoke-Migration", "Schema", typeof(SchemaNameCompleter))]
    [InlineData("Get-MigrationStatus", "Schema", typeof(SchemaNameCompleter))]
    [InlineData("Test-MigrationChecksum", "Schema", typeof(SchemaNameCompleter))]
    [InlineData("Set-MigrationBaseline", "Schema", typeof(SchemaNameCompleter))]
    [InlineData("Invoke-Migration", "IgnoreMigrationPattern", typeof(IgnorePatternCompleter))]
    [InlineData("Test-MigrationChecksum", "IgnoreMigrationPattern", typeof(IgnorePatternCompleter))]
    public void Parameter_has_its_completer(string cmdlet, string parameter, Type completer)
    {
        var type = CmdletMetadata.All().Single(c => c.Name == cmdlet).Type;
        var attribute = type.GetProperty(parameter)!.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType == typeof(ArgumentCompleterAttribute));
        Assert.NotNull(attribute);
        Assert.Equal(completer, attribute!.ConstructorArguments[0].Value);
        Assert.Contains(typeof(IArgumentCompleter), completer.GetInterfaces());
    }
}
