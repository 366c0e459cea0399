namespace SchemaOps.PowerShell.Tests;

/// <summary>What users pipe from one command into the next binds to what they mean, and nothing else binds by accident.</summary>
public class PipelineInputTests(PostgresServer server) : ModuleTest(server)
{
    [Fact]
    public void A_target_with_no_environment_schema_or_table_pipes_into_every_database_cmdlet()
    {
        // New-MigrationTarget leaves Environment, Schema and Table null: they bind as "not given".
        Run("$t = New-MigrationTarget -ConnectionString $db -Path $migrations").Succeeded();
        Assert.Null(Run("$t.Environment").Output.Single()?.BaseObject);
        Assert.Equal(20, Run("$t | Invoke-Migration -Confirm:$false").Succeeded().Output.Count);
        Run("$t | Get-MigrationStatus").Succeeded();
        Assert.Empty(Run("$t | Test-MigrationChecksum | Where-Object { -not $_.Passed }").Succeeded().Output);
        Run("$t | Test-DatabaseHealth").Succeeded();
        Run("$t | Get-SchemaSnapshot -RowCount None").Succeeded();
        Run("$t | Get-LockReport").Succeeded();
        Run("$t | Get-DatabaseActivity -Summary").Succeeded();
        Run("$t | Repair-MigrationHistory -Confirm:$false").Succeeded();
        Run("$t | Undo-Migration -Count 1 -WhatIf").Succeeded();
        Run("$t | New-MigrationTarget").Succeeded();
    }

    [Fact]
    public void An_empty_value_given_on_purpose_is_still_refused()
    {
        var result = Run("Get-MigrationStatus -ConnectionString $db -Table ''");
        Assert.StartsWith("ParameterArgumentValidationError", result.FirstError!.FullyQualifiedErrorId);
    }

    [Fact]
    public void Files_pipe_in_from_Get_ChildItem_and_wildcards_expand_and_literal_paths_stay_literal()
    {
        Write("set/V1__a.sql", "CREATE TABLE a (id int);");
        Write("set/V2__b.sql", "CREATE INDEX b ON a (id);");
        Write("set/V[3]__odd.sql", "SELECT 1;");
        Assert.Equal(3, Run("Get-ChildItem set/*.sql | Get-MigrationChecksum").Succeeded().Output.Count);
        Assert.Equal(2, Run("Get-MigrationChecksum set/V?__*.sql").Succeeded().Output.Count);
        Assert.Single(Run("Get-MigrationChecksum -LiteralPath 'set/V[3]__odd.sql'").Succeeded().Output);
        Assert.Contains(Run("Get-ChildItem set/V2__b.sql | Test-MigrationScript").Succeeded().Output,
            f => (string)f.Properties["RuleId"].Value == "require-concurrent-index-creation");
        Assert.Contains(Run("Test-MigrationScript -LiteralPath 'set/V2__b.sql'").Succeeded().Output,
            f => (string)f.Properties["RuleId"].Value == "require-concurrent-index-creation");
    }

    [Fact]
    public void Text_piped_into_Test_MigrationScript_is_linted_as_SQL()
    {
        var findings = Run("'CREATE INDEX users_email ON users (email);' | Test-MigrationScript").Succeeded().Output;
        var finding = Assert.Single(findings, f => (string)f.Properties["RuleId"].Value == "require-concurrent-index-creation");
        Assert.Equal("<input>", finding.Properties["File"].Value);
    }

    [Fact]
    public void One_missing_file_among_several_is_one_error_and_the_others_are_still_checked()
    {
        Write("a.sql", "SELECT 1;");
        Write("b.sql", "SELECT 2;");
        var result = Run("Get-MigrationChecksum a.sql, missing.sql, b.sql");
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Output.Count);
        var error = Assert.Single(result.Errors);
        Assert.Equal("PathNotFound,SchemaOps.Commands.GetMigrationChecksumCommand", error.FullyQualifiedErrorId);
        Assert.Equal("missing.sql", error.TargetObject);

        var lint = Run("Test-MigrationScript a.sql, missing.sql, b.sql");
        Assert.Null(lint.Terminating);
        Assert.Single(lint.Errors);
    }

    [Fact]
    public void A_bad_url_among_piped_targets_is_that_targets_error_and_the_fleet_goes_on()
    {
        Set("other", Server.NewDatabase());
        var result = Run("""
            @([pscustomobject]@{ ConnectionString = $db }, [pscustomobject]@{ ConnectionString = 'postgres://app@db01:notaport/shop' },
              [pscustomobject]@{ ConnectionString = $other }) | Invoke-Migration -Path $migrations -ThrottleLimit 2 -Confirm:$false
            """);
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, r => Assert.True((bool)r.Properties["Succeeded"].Value));
        Assert.StartsWith("InvalidConnectionUrl,", Assert.Single(result.Errors).FullyQualifiedErrorId);

        var targets = Run("""
            'postgres://app@db01:notaport/shop', $db | ForEach-Object { [pscustomobject]@{ ConnectionString = $_ } } | New-MigrationTarget -Path $migrations
            """);
        Assert.Null(targets.Terminating);
        Assert.Single(targets.Output);
        Assert.Single(targets.Errors);
    }

    [Fact]
    public void Status_objects_choose_what_Test_MigrationChecksum_validates_repeatables_included()
    {
        Run("Invoke-Migration -ConnectionString $db -Path $migrations -Confirm:$false").Succeeded();
        var chosen = Run("Get-MigrationStatus -ConnectionString $db -Path $migrations | Where-Object { $_.Version -eq '3' -or $_.Description -eq 'occupancy view' } | Test-MigrationChecksum -ConnectionString $db -Path $migrations").Succeeded().Output;
        Assert.Equal(["3", "occupancy view"], chosen.Select(r => r.Properties["Version"].Value?.ToString() ?? (string)r.Properties["Name"].Value).Select(n => n.Contains("occupancy") ? "occupancy view" : n).Order());
    }
}
