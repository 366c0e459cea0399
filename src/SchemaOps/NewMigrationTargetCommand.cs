using System.Management.Automation;
using System.Net;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Commands;

/// <summary>Builds a reusable target (database, credential, folders, schema, table, layout, environment) to pipe into the other cmdlets, with the config's settings resolved.</summary>
[Cmdlet(VerbsCommon.New, "MigrationTarget", HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationTarget))]
public sealed class NewMigrationTargetCommand : MigrationCmdlet
{
    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this);
        var (connectionString, user, password, sslPassword) = request.Target.SplitSecret();
        if (sslPassword is not null) // a credential holds one secret; the passphrase is never shown in the target's connection string
            WriteWarning("the client key's passphrase (sslpassword) is not kept in the target: give it where the target is used (-ConnectionString), or use a key file without a passphrase, readable by you only");
        var credential = password is null ? Credential : new PSCredential(user ?? "", new NetworkCredential("", password).SecurePassword);
        WriteObject(new MigrationTarget
        {
            ConnectionString = connectionString,
            Credential = credential,
            Path = request.Settings.Locations.ToArray(),
            Schema = request.Settings.Schemas.Count > 0 ? request.Settings.Schemas.ToArray() : null,
            Table = request.Settings.Table,
            Layout = request.Settings.Layout,
            Environment = request.Settings.Environment,
            Database = request.Target.Display,
        });
    }
}
