using System.Management.Automation;

namespace SchemaOps.PowerShell.Tests;

/// <summary>Parameters read as users write them: durations with units, versions as versions, one name per concept.</summary>
public class ParameterTests(PostgresServer server) : ModuleTest(server)
{
    [Theory]
    [InlineData("500ms", "500")]
    [InlineData("2s", "2000")]
    [InlineData("'2s'", "2000")]
    [InlineData("1m", "60000")]
    [InlineData("00:00:03", "3000")]
    [InlineData("([TimeSpan]::FromSeconds(4))", "4000")]
    public void Durations_take_the_config_file_s_spelling_and_TimeSpans(string given, string planned)
    {
        Write("set/V1__a.sql", "CREATE TABLE a (id int);");
        Run($"Invoke-Migration -ConnectionString $db -Path set -DryRun -OutFile plan.sql -LockTimeout {given}").Succeeded();
        Assert.Contains($"SET LOCAL lock_timeout = {planned};", File.ReadAllText(Path.Combine(Scratch, "plan.sql")));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("'2'")]
    [InlineData("1.5")]
    [InlineData("'soon'")]
    public void A_bare_number_or_text_without_a_unit_is_refused_with_the_spellings_that_work(string given)
    {
        var error = Run($"Invoke-Migration -ConnectionString $db -Path . -LockTimeout {given} -WhatIf").FirstError!;
        Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.Contains("500ms, 30s, 5m", error.Exception.Message);
    }

    [Fact]
    public void Every_TimeSpan_parameter_reads_durations()
    {
        var loose = Run("Get-Command -Module SchemaOps | ForEach-Object { $c = $_; $_.Parameters.Values | Where-Object { $_.ParameterType -in [TimeSpan], [Nullable[TimeSpan]] -and -not ($_.Attributes | Where-Object { $_ -is [SchemaOps.Commands.DurationAttribute] }) } | ForEach-Object { \"$($c.Name) -$($_.Name)\" } }").Succeeded();
        Assert.Empty(loose.Output);
    }

    [Fact]
    public void Versions_sort_and_compare_as_versions()
    {
        foreach (var v in new[] { 1, 2, 9, 10, 18 }) Write($"many/V{v}__m{v}.sql", "SELECT 1;");
        Write("many/V1.10__point.sql", "SELECT 1;");
        Write("many/V1.9__point.sql", "SELECT 1;");
        var sorted = Run("Get-MigrationStatus -ConnectionString $db -Path many | Sort-Object Version | ForEach-Object { $_.Version.ToString() }").Succeeded();
        Assert.Equal(["1", "1.9", "1.10", "2", "9", "10", "18"], sorted.Output.Select(o => o.ToString()));
        var above = Run("Get-MigrationStatus -ConnectionString $db -Path many | Where-Object Version -gt '9' | ForEach-Object { \"$($_.Version)\" }").Succeeded();
        Assert.Equal(["10", "18"], above.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void One_name_per_concept_across_the_module()
    {
        // The lint threshold is -LintLevel everywhere; a file written beside the output is -OutFile; a cmdlet's own
        // file (the one it reads, or the archive or report it exists to write) is -Path; a folder of tools is -PgBinPath.
        var names = Run("Get-Command -Module SchemaOps | ForEach-Object { $c = $_.Name; $_.Parameters.Keys | ForEach-Object { \"$c -$_\" } }").Succeeded()
            .Output.Select(o => o.ToString()).ToList();
        string[] retired = ["MinimumSeverity", "ReportPath", "DryRunPath", "Level", "Severity", "OutPath", "OutputPath", "FilePath", "ReportFile"];
        Assert.DoesNotContain(names, n => retired.Any(r => n.EndsWith(" -" + r)));
        var pathLike = names.Where(n => n.EndsWith("Path") || n.EndsWith("File")).Select(n => n[(n.IndexOf(" -", StringComparison.Ordinal) + 2)..]).Distinct().Order();
        Assert.Equal(["ConfigPath", "LiteralPath", "OutFile", "Path", "PgBinPath", "RuleConfigPath"], pathLike);
    }
}
