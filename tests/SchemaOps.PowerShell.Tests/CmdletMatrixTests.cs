using System.Management.Automation;

namespace SchemaOps.PowerShell.Tests;

/// <summary>
/// Every cmdlet in one table, run in PowerShell against a real database: a use with pipeline input that emits its
/// typed objects (shown by its table view), -Verbose saying what it does, a failure as an error record with its
/// stable id, category and target, and -WhatIf changing nothing. A new cmdlet without a row fails the first test.
/// </summary>
public class CmdletMatrixTests(PostgresServer server) : ModuleTest(server)
{
    /// <param name="Setup">Runs first. $t is a MigrationTarget for $db and the example migrations; $applied: they are applied.</param>
    /// <param name="Use">A real use, with pipeline input where the cmdlet takes any; emits objects of <paramref name="Type"/>.</param>
    /// <param name="Fail">Fails with <paramref name="ErrorId"/> of <paramref name="Category"/> about <paramref name="Target"/> (a substring of the target object; null: none).</param>
    /// <param name="WhatIf">Runs under -WhatIf; <paramref name="Unchanged"/> then returns $true when nothing changed.</param>
    public sealed record Case(string Setup, string Use, string? Type, bool Verbose, string Fail, string ErrorId, ErrorCategory Category, string? Target,
        string? WhatIf = null, string? Unchanged = null);

    private const string Apply = "$t | Invoke-Migration -Confirm:$false | Out-Null; ";
    private const string BadUrl = "'postgres://app@127.0.0.1:1/none'";
    private const string NoHistory = "-not (Get-MigrationStatus -ConnectionString $db -Path $migrations | Where-Object IsApplied)";

    public static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>
    {
        ["Invoke-Migration"] = new("", "$t | Invoke-Migration -Confirm:$false", "SchemaOps.MigrationResult", true,
            "New-Item -ItemType Directory bad | Out-Null; Set-Content bad/V1__x.sql 'SELECT 1/0;'; Invoke-Migration -ConnectionString $db -Path bad -Confirm:$false",
            "MigrationFailed", ErrorCategory.InvalidOperation, "V1__x.sql", "$t | Invoke-Migration", NoHistory),
        ["Get-MigrationStatus"] = new("", "$t | Get-MigrationStatus", "SchemaOps.MigrationInfo", true,
            $"Get-MigrationStatus -ConnectionString {BadUrl} -Path $migrations", "ConnectionFailed", ErrorCategory.ConnectionError, "127.0.0.1:1/none"),
        ["Test-MigrationChecksum"] = new(Apply, "$t | Get-MigrationStatus | Test-MigrationChecksum -ConnectionString $db -Path $migrations", "SchemaOps.ValidationResult", true,
            "Test-MigrationChecksum -ConnectionString $db -Path $migrations -Version 1.x", "InvalidVersion", ErrorCategory.InvalidArgument, "1.x"),
        ["Set-MigrationBaseline"] = new("", "$t | Set-MigrationBaseline -Version 5 -Confirm:$false", "SchemaOps.BaselineResult", true,
            Apply + "Set-MigrationBaseline -ConnectionString $db -Version 5 -Confirm:$false", "BaselineNotEmpty", ErrorCategory.InvalidOperation, "1",
            "$t | Set-MigrationBaseline -Version 5", NoHistory),
        ["Get-MigrationChecksum"] = new("", "Get-ChildItem $migrations -Filter 'V1*.sql' | Get-MigrationChecksum", "SchemaOps.ScriptChecksum", false,
            "Get-MigrationChecksum nothere.sql", "PathNotFound", ErrorCategory.ObjectNotFound, "nothere.sql"),
        ["New-MigrationTarget"] = new("", "[pscustomobject]@{ ConnectionString = $db; Path = $migrations } | New-MigrationTarget", "SchemaOps.MigrationTarget", false,
            "New-MigrationTarget -ConnectionString 'postgres://app@db01:notaport/shop'", "InvalidConnectionUrl", ErrorCategory.InvalidArgument, null),
        ["Repair-MigrationHistory"] = new("Copy-Item -Recurse $migrations m; $t = New-MigrationTarget -ConnectionString $db -Path ./m; " + Apply + "Add-Content m/V1__create_clients.sql '-- edited';",
            "$t | Repair-MigrationHistory -Confirm:$false", "SchemaOps.RepairChange", true,
            "Repair-MigrationHistory -ConnectionString $db -Path $migrations -IgnoreMigrationPattern 'bogus' -Confirm:$false", "InvalidIgnorePattern", ErrorCategory.InvalidArgument, "bogus",
            "$t | Repair-MigrationHistory", "@($t | Test-MigrationChecksum | Where-Object { -not $_.Passed }).Count -eq 1"),
        ["Undo-Migration"] = new(Apply, "$t | Undo-Migration -Count 2 -Confirm:$false", "SchemaOps.MigrationResult", true,
            "Undo-Migration -ConnectionString $db -Path $migrations -Target 1.x -Confirm:$false", "InvalidTarget", ErrorCategory.InvalidArgument, "1.x",
            "$t | Undo-Migration -Count 2", "@($t | Get-MigrationStatus | Where-Object IsApplied).Count -eq 20"),
        ["New-Migration"] = new("New-Item -ItemType Directory set | Out-Null", "[pscustomobject]@{ Path = './set' } | New-Migration 'add permits' -Confirm:$false", "SchemaOps.MigrationFile", false,
            "New-Migration 'to: somewhere' -Path ./set -Confirm:$false", "InvalidDescription", ErrorCategory.InvalidArgument, "to: somewhere",
            "New-Migration 'add permits' -Path ./set", "@(Get-ChildItem ./set).Count -eq 0"),
        ["Clear-Database"] = new(Apply, "$t | Clear-Database -AllowClean -Confirm:$false", "SchemaOps.CleanedSchema", true,
            "Clear-Database -ConnectionString $db -Confirm:$false", "CleanDisabled", ErrorCategory.PermissionDenied, null,
            "$t | Clear-Database -AllowClean", "@($t | Get-MigrationStatus | Where-Object IsApplied).Count -eq 20"),
        ["Get-SchemaSnapshot"] = new(Apply, "$t | Get-SchemaSnapshot -OutFile s.json", "SchemaOps.SchemaSnapshot", true,
            $"Get-SchemaSnapshot -ConnectionString {BadUrl}", "ConnectionFailed", ErrorCategory.ConnectionError, "127.0.0.1:1/none",
            "$t | Get-SchemaSnapshot -OutFile s.json", "-not (Test-Path s.json)"),
        ["Compare-SchemaSnapshot"] = new("$before = $t | Get-SchemaSnapshot; " + Apply, "$t | Get-SchemaSnapshot | Compare-SchemaSnapshot -Reference $before", "SchemaOps.SchemaDifference", false,
            "$t | Get-SchemaSnapshot | Compare-SchemaSnapshot -Reference nothere.json", "ParameterArgumentTransformationError", ErrorCategory.InvalidData, null),
        ["Get-MigrationImpact"] = new("", "$t | Get-MigrationImpact", "SchemaOps.MigrationImpact", false,
            $"Get-MigrationImpact -ConnectionString {BadUrl} -Path $migrations", "ConnectionFailed", ErrorCategory.ConnectionError, "127.0.0.1:1/none"),
        // Drift: a migration applied, then its file taken away: what it made is no longer what the migrations build.
        ["Test-SchemaDrift"] = new("Copy-Item -Recurse $migrations m; Set-Content m/V99__by_hand.sql 'CREATE TABLE by_hand (id int);'; " +
                "$t = New-MigrationTarget -ConnectionString $db -Path ./m; " + Apply + "Remove-Item m/V99__by_hand.sql",
            "$t | Test-SchemaDrift", "SchemaOps.SchemaDifference", true,
            $"Test-SchemaDrift -ConnectionString {BadUrl} -Path $migrations", "ConnectionFailed", ErrorCategory.ConnectionError, "127.0.0.1:1/none"),
        ["Get-LockReport"] = new("", "$t | Get-LockReport -Watch -Interval 100ms -Count 2", null, true,
            $"Get-LockReport -ConnectionString {BadUrl}", "ConnectionFailed", ErrorCategory.ConnectionError, "127.0.0.1:1/none"),
        ["Backup-Database"] = new(Apply, "$t | Backup-Database -Path b.dump -Confirm:$false", "SchemaOps.DatabaseBackup", true,
            "Set-Content taken.dump 'x'; Backup-Database -ConnectionString $db -Path taken.dump -Confirm:$false", "BackupExists", ErrorCategory.InvalidArgument, "taken.dump",
            "$t | Backup-Database -Path b.dump", "-not (Test-Path b.dump)"),
        ["Export-DatabaseSchema"] = new(Apply, "$t | Export-DatabaseSchema s.sql -Confirm:$false", "SchemaOps.SchemaDump", true,
            "Export-DatabaseSchema s.sql -ConnectionString $db -Schema no_such_schema -Confirm:$false", "SchemaDumpFailed", ErrorCategory.InvalidOperation, "s.sql",
            "$t | Export-DatabaseSchema s.sql", "-not (Test-Path s.sql)"),
        ["Test-DatabaseBackup"] = new(Apply + "$backup = $t | Backup-Database -Path b.dump -Confirm:$false; ", "$backup | Test-DatabaseBackup -ConnectionString $db -Confirm:$false", "SchemaOps.BackupTestResult", true,
            "Test-DatabaseBackup -ConnectionString $db -Path nothere.dump -Confirm:$false", "BackupNotFound", ErrorCategory.ObjectNotFound, "nothere.dump",
            "$tested = $backup | Test-DatabaseBackup -ConnectionString $db", "$null -eq $tested -and -not (Get-DatabaseActivity -ConnectionString $db | Where-Object Database -like 'schemaops_restore*')"),
        ["Restore-Database"] = new(Apply + "$backup = $t | Backup-Database -Path b.dump -Confirm:$false; ", "$backup | Restore-Database -ConnectionString $db -Clean -Confirm:$false", "SchemaOps.RestoreResult", true,
            "$backup | Restore-Database -ConnectionString $db -Confirm:$false", "RestoreTargetNotEmpty", ErrorCategory.InvalidOperation, null,
            "$t | Clear-Database -AllowClean -Confirm:$false | Out-Null; $backup | Restore-Database -ConnectionString $db -Clean", NoHistory),
        ["Get-DatabaseActivity"] = new("", "$t | Get-DatabaseActivity -Summary", "SchemaOps.ActivitySummary", true,
            $"Get-DatabaseActivity -ConnectionString {BadUrl}", "ConnectionFailed", ErrorCategory.ConnectionError, "127.0.0.1:1/none"),
        ["Wait-Database"] = new("", "$t | Wait-Database -Timeout 30s", "SchemaOps.DatabaseReadiness", true,
            $"Wait-Database -ConnectionString {BadUrl} -Timeout 1s", "DatabaseNotReady", ErrorCategory.ConnectionError, "127.0.0.1:1/none"),
        ["Test-DatabaseHealth"] = new("", "$t | Test-DatabaseHealth", "SchemaOps.HealthCheck", true,
            "Test-DatabaseHealth -ConnectionString $db -ConfigPath nothere.json", "ConfigFileNotFound", ErrorCategory.ObjectNotFound, "nothere.json"),
        ["Export-MigrationReport"] = new("", "$t | Get-MigrationStatus | Export-MigrationReport -Path r.md -Confirm:$false", "SchemaOps.ReportFile", false,
            "$t | Get-MigrationStatus | Export-MigrationReport -Path r.pdf -Confirm:$false", "UnknownReportFormat", ErrorCategory.InvalidArgument, null,
            "$t | Get-MigrationStatus | Export-MigrationReport -Path r.md", "-not (Test-Path r.md)"),
        ["Test-MigrationScript"] = new("", "'CREATE INDEX i ON t (x);' | Test-MigrationScript", "SchemaOps.LintFinding", false,
            "Test-MigrationScript nothere.sql", "PathNotFound", ErrorCategory.ObjectNotFound, "nothere.sql"),
        ["Invoke-MigrationRehearsal"] = new("New-Item -ItemType Directory set | Out-Null; Set-Content set/V1__a.sql 'CREATE TABLE a (id int);'; Set-Content set/U1__a.sql 'DROP TABLE a;'",
            "[pscustomobject]@{ Path = './set' } | Invoke-MigrationRehearsal -Confirm:$false", "SchemaOps.RehearsalResult", true,
            "Invoke-MigrationRehearsal -Path ./set -FromBackup nothere.dump -Confirm:$false", "BackupNotFound", ErrorCategory.ObjectNotFound, "nothere.dump",
            "Invoke-MigrationRehearsal -Path ./set -ConnectionString $db", NoHistory),
        ["New-EphemeralDatabase"] = new("", "New-EphemeralDatabase -Database app -Confirm:$false", "SchemaOps.EphemeralDatabase", true,
            "New-EphemeralDatabase -Database ('d' * 64) -Confirm:$false", "EphemeralDatabaseNameInvalid", ErrorCategory.InvalidArgument, null,
            "New-EphemeralDatabase", "@(Remove-EphemeralDatabase -All -PassThru -Confirm:$false).Count -eq 0"),
        ["Remove-EphemeralDatabase"] = new("", "New-EphemeralDatabase -Confirm:$false | Remove-EphemeralDatabase -PassThru -Confirm:$false", "SchemaOps.EphemeralDatabase", true,
            "Remove-EphemeralDatabase -Id nothere -Confirm:$false", "EphemeralDatabaseNotFound", ErrorCategory.ObjectNotFound, "nothere",
            "$kept = New-EphemeralDatabase -Confirm:$false; $kept | Remove-EphemeralDatabase", "(Test-Path $kept.DataDirectory) -and (Remove-EphemeralDatabase -All -PassThru -Confirm:$false)"),
    };

    public static TheoryData<string> Cmdlets() => ModuleSession.Names();

    [Fact]
    public void Every_exported_cmdlet_has_a_row()
    {
        Assert.Equal(ModuleSession.ManifestCmdlets(), Cases.Keys.Order(StringComparer.Ordinal));
    }

    private void Prepare(Case c) => Run("$t = New-MigrationTarget -ConnectionString $db -Path $migrations; " + c.Setup).Succeeded();

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void A_real_use_emits_typed_objects_that_the_table_view_shows(string cmdlet)
    {
        var c = Cases[cmdlet];
        Prepare(c);
        var result = Run(c.Use).Succeeded();
        if (c.Type is null) return; // nothing to report on a quiet database: the view is checked on samples (FormattingTests)
        Assert.NotEmpty(result.Output);
        Assert.All(result.Output, o => Assert.Equal(c.Type, o.BaseObject.GetType().FullName));
        var view = FormattingTests.Views().Single(v => v.Type == c.Type);
        Set("emitted", result.Output);
        foreach (var width in new[] { 80, 120 })
        {
            var text = Run($"$emitted | Out-String -Width {width}").Succeeded().Text;
            var lines = text.Split('\n').Where(l => l.Trim().Length > 0).ToList();
            Assert.Contains(view.Columns[0].Label, view.Group is null ? lines[0] : lines[1]); // a grouped view opens with its group's label
        }
        Run("Remove-EphemeralDatabase -All -Confirm:$false").Succeeded();
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Verbose_says_what_is_being_done(string cmdlet)
    {
        var c = Cases[cmdlet];
        if (!c.Verbose) return;
        Prepare(c);
        var result = Run(c.Use.Replace("-Confirm:$false", "-Confirm:$false -Verbose") + (c.Use.Contains("-Confirm") ? "" : " -Verbose")).Succeeded();
        Assert.NotEmpty(result.Verbose);
        Run("Remove-EphemeralDatabase -All -Confirm:$false").Succeeded();
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void A_failure_is_an_error_record_with_its_stable_id_category_and_target(string cmdlet)
    {
        var c = Cases[cmdlet];
        Prepare(c);
        var error = Run(c.Fail).FirstError;
        Assert.NotNull(error);
        var command = Run($"(Get-Command {cmdlet}).ImplementingType.FullName").Succeeded().Single<string>();
        Assert.Equal($"{c.ErrorId},{command}", error!.FullyQualifiedErrorId);
        Assert.Equal(c.Category, error.CategoryInfo.Category);
        if (c.Target is not null) Assert.Contains(c.Target, error.TargetObject?.ToString() ?? "<none>");
        Assert.DoesNotContain("Password", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void WhatIf_changes_nothing(string cmdlet)
    {
        var c = Cases[cmdlet];
        var supports = Run($"(Get-Command {cmdlet}).Parameters.ContainsKey('WhatIf')").Succeeded().Single<bool>();
        Assert.Equal(supports, c.WhatIf is not null); // every cmdlet that changes something has a -WhatIf row
        if (c.WhatIf is null) return;
        Prepare(c);
        Run(c.WhatIf + " -WhatIf").Succeeded();
        Assert.True(Run(c.Unchanged!).Succeeded().Single<bool>(), $"{cmdlet} -WhatIf changed something");
    }
}
