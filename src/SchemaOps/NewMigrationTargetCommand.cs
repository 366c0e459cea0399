using System.Management.Automation;
using System.Net;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Commands;

/// <summary>Builds a reusable target (database, credential, folders, schema, table, layout) to pipe into the other cmdlets.</summary>
[Cmdlet(VerbsCommon.New, "MigrationTarget", HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationTarget))]
public sealed class NewMigrationTargetCommand : MigrationCmdlet
{
    protected override void ProcessRecord()
    {
        var request = RequestBuilder.Build(this);
        var (connectionString, user, password) = request.Target.SplitSecret();
        var credential = password is null ? Credential : new PSCredential(user ?? "", new NetworkCredential("", password).SecurePassword);
        WriteObject(new MigrationTarget
        {
            ConnectionString = connectionString,
            Credential = credential,
            Path = request.Settings.Locations.ToArray(),
            Schema = Schema,
            Table = Table,
            Layout = Layout,
            Database = request.Target.Display,
        });
    }
}
