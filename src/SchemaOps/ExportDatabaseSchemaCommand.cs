using System.Management.Automation;
using SchemaOps.Engine.Snapshots;

namespace SchemaOps.Commands;

/// <summary>Writes the schema file dbmate keeps (db/schema.sql) exactly as `dbmate dump` does, and returns a SchemaDump.</summary>
[Cmdlet(VerbsData.Export, "DatabaseSchema", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Module)]
[OutputType(typeof(SchemaDump))]
public sealed class ExportDatabaseSchemaCommand : DatabaseCmdlet
{
    /// <summary>The schema file, replaced whole; default: $env:DBMATE_SCHEMA_FILE, else db/schema.sql.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The folder holding pg_dump; default: found like the server binaries.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PgBinPath { get; set; }

    protected override void ProcessInput()
    {
        var request = RequestBuilder.Build(this);
        var path = Path is null ? request.Settings.SchemaFile : ResolvePath(Path);
        var pgBin = PgBinPath is null ? null : ResolvePath(PgBinPath);
        Run((sink, ct) => SchemaDumpOperation.DumpAsync(request, path, pgBin, sink, ct));
    }
}
