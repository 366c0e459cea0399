using SchemaOps.Engine.Lint;

namespace SchemaOps.Engine.Tests.Lint;

public class LintRuleSettingsTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_rules_file_turns_rules_off_and_re_grades_them_and_is_found_in_the_working_directory()
    {
        _dir.Write(LintRuleSettings.FileName, """
            {
              "rules": {
                "ban-drop-table": "off",
                "require-concurrent-index-creation": "error"
              }
            }
            """);
        var options = new LintOptions { Rules = LintRuleSettings.Load(null, _dir.Path) };

        var findings = Linter.LintText("DROP TABLE a;\nCREATE INDEX i ON b (x);", "V1__x.sql", options);

        var f = Assert.Single(findings);
        Assert.Equal(("require-concurrent-index-creation", LintSeverity.Error), (f.RuleId, f.Severity));
        Assert.Same(LintRuleSettings.Default, LintRuleSettings.Load(null, Path.GetTempPath() + Guid.NewGuid())); // no file, no change
    }

    [Theory]
    [InlineData("{\n  \"rules\": {\n    \"ban-drop-tabel\": \"off\"\n  }\n}", "UnknownLintRule", 3)]
    [InlineData("{\n  \"rules\": {\n    \"ban-drop-table\": \"loud\"\n  }\n}", "InvalidConfigValue", 3)]
    [InlineData("{\n  \"level\": \"error\"\n}", "InvalidLintConfig", 2)]
    public void A_bad_rules_file_is_refused_with_its_line(string text, string errorId, int line)
    {
        var path = _dir.Write("rules.json", text);
        var e = Assert.Throws<SchemaOpsException>(() => LintRuleSettings.Load(path, _dir.Path));
        Assert.Equal((errorId, line), (e.ErrorId, e.Line));
        Assert.Contains("rules.json:" + line, e.Message);
    }
}
