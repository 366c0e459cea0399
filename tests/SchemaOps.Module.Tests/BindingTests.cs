namespace SchemaOps.Module.Tests;

/// <summary>Objects that runbooks pipe from one cmdlet into another bind by property name, with types that fit.</summary>
public class BindingTests
{
    // Output type → the properties meant to bind, and the cmdlets meant to receive them.
    public static TheoryData<string> DatabaseCmdlets()
    {
        var data = new TheoryData<string>();
        foreach (var c in CmdletMetadata.All().Where(c => typeof(Commands.DatabaseCmdlet).IsAssignableFrom(c.Type))) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(DatabaseCmdlets))]
    public void A_migration_target_binds_by_name_into_every_database_cmdlet(string name)
    {
        var cmdlet = CmdletMetadata.All().Single(c => c.Name == name);
        var takesPath = typeof(Commands.MigrationCmdlet).IsAssignableFrom(cmdlet.Type);
        foreach (var property in typeof(MigrationTarget).GetProperties().Where(p => p.Name != nameof(MigrationTarget.Database)))
        {
            if (property.Name == nameof(MigrationTarget.Path) && !takesPath) continue;
            var parameter = cmdlet.Parameters.SingleOrDefault(p => p.Name == property.Name || p.Aliases.Contains(property.Name));
            Assert.True(parameter is not null, $"{name} has no -{property.Name} for MigrationTarget.{property.Name}");
            Assert.True(parameter!.FromPipelineByName, $"{name} -{property.Name} does not take ValueFromPipelineByPropertyName");
            // Same type, or one value into an array of it (PowerShell's binder wraps it, as a string Version into -Version string[]).
            Assert.True(parameter.Type == property.PropertyType || parameter.Type == property.PropertyType.MakeArrayType(),
                $"{name} -{property.Name} is {parameter.Type.Name}, MigrationTarget.{property.Name} is {property.PropertyType.Name}");
        }
    }

    [Fact]
    public void A_status_object_binds_its_version_and_script_into_Test_MigrationChecksum_and_nothing_else()
    {
        // Binding itself is proven in PowerShell (SchemaOps.PowerShell.Tests); this keeps other properties from binding by accident.
        var test = CmdletMetadata.All().Single(c => c.Name == "Test-MigrationChecksum");
        Assert.All(test.Parameters.Where(p => p.Name is nameof(MigrationInfo.Version) or nameof(MigrationInfo.Script)), p => Assert.True(p.FromPipelineByName));
        var byName = test.Parameters.Where(p => p.FromPipelineByName).SelectMany(p => p.Aliases.Append(p.Name)).ToHashSet();
        Assert.Equal([nameof(MigrationInfo.Version), nameof(MigrationInfo.Script)], typeof(MigrationInfo).GetProperties().Select(p => p.Name).Where(byName.Contains));
    }

    [Fact]
    public void A_migration_target_keeps_no_secret_outside_its_credential()
    {
        Assert.DoesNotContain(typeof(MigrationTarget).GetProperties(), p => p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(DatabaseCmdlets))]
    public void An_ephemeral_database_binds_its_connection_string_and_nothing_else_into_every_database_cmdlet(string name)
    {
        var cmdlet = CmdletMetadata.All().Single(c => c.Name == name);
        var byName = cmdlet.Parameters.Where(p => p.FromPipelineByName).SelectMany(p => p.Aliases.Append(p.Name)).ToHashSet();
        Assert.Equal([nameof(EphemeralDatabase.ConnectionString)], typeof(EphemeralDatabase).GetProperties().Select(p => p.Name).Where(byName.Contains));
        Assert.Equal(typeof(string), cmdlet.Parameters.Single(p => p.Name == "ConnectionString").Type);
    }

    [Fact]
    public void An_ephemeral_database_binds_its_id_into_Remove_EphemeralDatabase()
    {
        var remove = CmdletMetadata.All().Single(c => c.Name == "Remove-EphemeralDatabase");
        var byName = remove.Parameters.Where(p => p.FromPipelineByName).SelectMany(p => p.Aliases.Append(p.Name)).ToHashSet();
        Assert.Equal([nameof(EphemeralDatabase.Id)], typeof(EphemeralDatabase).GetProperties().Select(p => p.Name).Where(byName.Contains));
        Assert.Equal(typeof(string[]), remove.Parameters.Single(p => p.Name == "Id").Type);
    }
}
