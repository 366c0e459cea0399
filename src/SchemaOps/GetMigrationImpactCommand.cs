using System.Management.Automation;
using SchemaOps.Engine.Impact;

namespace SchemaOps.Commands;

/// <summary>
/// For every statement of every pending migration, against the live database and without changing it: the lock it
/// takes, the tables it touches with their size and rows now, whether it rewrites or scans them, who would block it
/// right now, and the linter's findings with the safe rewrite.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MigrationImpact", HelpUri = HelpLinks.Module)]
[OutputType(typeof(MigrationImpact))]
public sealed class GetMigrationImpactCommand : MigrationCmdlet
{
    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this);
        Run((sink, ct) => ImpactOperation.PreviewAsync(request, sink, ct));
    }
}
