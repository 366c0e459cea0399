using System.Xml.Linq;
using SchemaOps.Engine.Reports;

namespace SchemaOps.Engine.Tests.Reports;

public class ReportTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static readonly object[] Run =
    [
        new DatabaseBackup { Path = "/backups/pre.dump", SizeBytes = 3 * 1048576, Sha256 = new string('a', 64), DurationMilliseconds = 1200, Database = "ops@db01:5432/shop", MigrationVersion = MigrationVersion.Parse("4") },
        new MigrationResult { Version = MigrationVersion.Parse("5"), Description = "add <email> | index", Outcome = MigrationOutcome.Applied, ExecutionTime = 120, InTransaction = true, Database = "ops@db01:5432/shop" },
        new MigrationResult { Version = MigrationVersion.Parse("6"), Description = "backfill", Outcome = MigrationOutcome.Failed, ExecutionTime = 30, Error = "V6__backfill.sql:3: division by zero", Database = "ops@db01:5432/shop" },
        new HealthCheck { Name = "InvalidIndexes", Passed = true, Detail = "every index is valid", Database = "ops@db01:5432/shop" },
        new HealthCheck { Name = "LongTransactions", Passed = false, Detail = "pid 42 open 600 s", Database = "ops@db01:5432/shop" },
        new SchemaDifference { Kind = SchemaObjectKind.Column, Schema = "public", Name = "users.email", Change = SchemaChange.Added, Difference = "#2 text" },
    ];

    [Fact]
    public void Markdown_is_the_runbooks_deployment_log_with_every_part_and_escaped_cells()
    {
        var file = ReportOperation.Write(ReportOperation.Build(Run, "Release 42"), Path.Combine(_dir.Path, "log.md"), ReportFormat.Markdown);
        var text = File.ReadAllText(file.Path);

        Assert.False(file.Succeeded);
        Assert.Equal((2, 2), (file.Migrations, file.Problems)); // one failed migration, one failed check
        Assert.StartsWith("# Release 42", text);
        Assert.Contains("- **Result:** FAILED", text);
        Assert.Contains("| V5 | add <email> \\| index | Applied | 120 | yes | ops@db01:5432/shop |", text);
        Assert.Contains("Failed: V6__backfill.sql:3: division by zero", text);
        Assert.Contains("| LongTransactions | **NO** | pid 42 open 600 s |", text);
        Assert.Contains("| Added | Column | public.users.email |", text);
        Assert.Contains("`" + new string('a', 64) + "`", text);
    }

    [Fact]
    public void JUnit_has_one_test_case_per_migration_check_and_the_failures_counted()
    {
        var file = ReportOperation.Write(ReportOperation.Build(Run), Path.Combine(_dir.Path, "junit.xml"), ReportOperation.FormatOf("junit.xml"));
        var root = XDocument.Load(file.Path).Root!;

        Assert.Equal(("testsuites", "5", "2"), (root.Name.LocalName, root.Attribute("tests")!.Value, root.Attribute("failures")!.Value));
        var migrations = root.Elements("testsuite").Single(s => s.Attribute("name")!.Value == "migrations");
        Assert.Equal("0.150", migrations.Attribute("time")!.Value);
        var failed = migrations.Elements("testcase").Single(c => c.Element("failure") is not null);
        Assert.Equal("V6 backfill", failed.Attribute("name")!.Value);
        Assert.Equal("V6__backfill.sql:3: division by zero", failed.Element("failure")!.Attribute("message")!.Value);
    }

    [Fact]
    public void Html_is_one_self_contained_page_with_a_timeline_bar_per_migration_and_nothing_unescaped()
    {
        var file = ReportOperation.Write(ReportOperation.Build(Run), Path.Combine(_dir.Path, "window.html"), ReportOperation.FormatOf("window.html"));
        var html = File.ReadAllText(file.Path);

        Assert.Equal(2, html.Split("<rect ").Length - 1);
        Assert.Contains("add &lt;email&gt; | index", html);
        Assert.DoesNotContain("<email>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "")); // nothing fetched from anywhere
    }

    [Fact]
    public void Json_keeps_every_object_and_bad_input_is_refused()
    {
        var file = ReportOperation.Write(ReportOperation.Build(Run), Path.Combine(_dir.Path, "r.json"), ReportFormat.Json);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file.Path));
        Assert.Equal(2, doc.RootElement.GetProperty("migrations").GetArrayLength());
        Assert.Equal("Failed", doc.RootElement.GetProperty("migrations")[1].GetProperty("outcome").GetString());

        Assert.Equal("UnsupportedReportInput", Assert.Throws<SchemaOpsException>(() => ReportOperation.Build(["just a string"])).ErrorId);
        Assert.Equal("UnknownReportFormat", Assert.Throws<SchemaOpsException>(() => ReportOperation.FormatOf("report.pdf")).ErrorId);
    }
}
