using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Operations;

public class ValidateAndBaselineTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private Task<BaselineResult> BaselineAsync(Func<MigrationSettings, MigrationSettings>? tweak = null, RecordingSink? sink = null) =>
        BaselineOperation.BaselineAsync(Request(tweak), sink ?? new RecordingSink(), CancellationToken.None);

    [Fact]
    public async Task Validate_reports_every_problem_with_kind_version_expected_and_actual()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V2__b.sql", "SELECT 2;");
        Dir.Write("V3__c.sql", "SELECT 3;");
        await MigrateAsync();
        Dir.Write("V1__a.sql", "SELECT 10;");         // drifted
        File.Delete(Path.Combine(Dir.Path, "V2__b.sql")); // missing locally
        File.Move(Path.Combine(Dir.Path, "V3__c.sql"), Path.Combine(Dir.Path, "V3__renamed.sql"));
        Dir.Write("V4__d.sql", "SELECT 4;");          // pending

        var results = await ValidateAsync();

        var failed = results.Where(r => !r.Passed).ToList();
        Assert.Equal([ValidationKind.ChecksumMismatch, ValidationKind.MissingLocally, ValidationKind.DescriptionMismatch, ValidationKind.NotApplied],
            failed.Select(r => r.Kind));
        var checksum = failed[0];
        Assert.Equal("1", checksum.Version?.Text);
        Assert.Equal(Engine.Sources.FlywayChecksum.Compute("SELECT 1;").ToString(), checksum.Expected);
        Assert.Equal(Engine.Sources.FlywayChecksum.Compute("SELECT 10;").ToString(), checksum.Actual);
        Assert.Equal(("c", "renamed"), (failed[2].Expected, failed[2].Actual));
    }

    [Fact]
    public async Task A_clean_database_validates_with_one_passing_result_per_migration()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("R__r.sql", "SELECT 1;");
        await MigrateAsync();
        var results = await ValidateAsync();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Passed));
    }

    [Fact]
    public async Task Validate_can_be_limited_to_given_versions_compared_as_versions()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V2__b.sql", "SELECT 2;");
        await MigrateAsync();
        Dir.Write("V2__b.sql", "SELECT 20;");
        var only1 = await InfoOperation.ValidateAsync(Request(), new RecordingSink(), default, ["1.0"]);
        Assert.Equal("1", Assert.Single(only1).Version?.Text);
        Assert.True(only1[0].Passed);
        var only2 = await InfoOperation.ValidateAsync(Request(), new RecordingSink(), default, ["2"]);
        Assert.Equal(ValidationKind.ChecksumMismatch, Assert.Single(only2).Kind);
    }

    [Fact]
    public async Task Future_migrations_are_tolerated_by_default_and_reported_when_not_ignored()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V2__b.sql", "SELECT 2;");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V2__b.sql"));

        Assert.Equal(MigrationState.Future, (await InfoAsync()).Single(i => i.Version?.Text == "2").State);
        var tolerated = await ValidateAsync();
        Assert.All(tolerated, r => Assert.True(r.Passed));
        Assert.Equal("applied, and newer than every local script: passed over, as ignoreMigrationPatterns asks", tolerated.Single(r => r.Version?.Text == "2").Detail);
        var strict = await ValidateAsync(s => s with { IgnoreMigrationPatterns = [] });
        Assert.Equal(ValidationKind.FutureMigration, Assert.Single(strict, r => !r.Passed).Kind);
        Assert.Empty(await MigrateAsync()); // a newer deployment's migration does not block an older one
    }

    [Fact]
    public async Task A_future_version_counts_as_applied_so_a_new_lower_one_is_ignored_as_in_Flyway()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V5__newer_release.sql", "CREATE TABLE from_v5 (id int);");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V5__newer_release.sql")); // an older release's folder: V5 is Future
        Dir.Write("V3__gap.sql", "CREATE TABLE gap (id int);");

        Assert.Equal(MigrationState.Ignored, (await InfoAsync()).Single(i => i.Version?.Text == "3").State);
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateAsync());
        Assert.Equal("ValidationFailed", e.ErrorId);
        Assert.False(await TableExistsAsync("gap"));

        var applied = Assert.Single(await MigrateAsync(s => s with { OutOfOrder = true })); // applied on purpose, it is out of order
        Assert.Equal("3", applied.Version?.Text);
        Assert.Equal(MigrationState.OutOfOrder, (await InfoAsync(s => s with { OutOfOrder = true })).Single(i => i.Version?.Text == "3").State);
    }

    [Fact]
    public async Task Missing_can_be_ignored_by_pattern_and_bad_patterns_are_errors()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        Dir.Write("V2__b.sql", "SELECT 2;");
        await MigrateAsync();
        File.Delete(Path.Combine(Dir.Path, "V1__a.sql"));
        Assert.Contains(await ValidateAsync(), r => r.Kind == ValidationKind.MissingLocally);
        var ignored = await ValidateAsync(s => s with { IgnoreMigrationPatterns = ["versioned:missing"] });
        Assert.All(ignored, r => Assert.True(r.Passed));
        // Passed, but not "valid": a report says the script is gone and why that passes (it read "ok V1 a" like any other).
        Assert.Equal("applied, but its script is not in the migration locations: passed over, as ignoreMigrationPatterns asks", ignored.Single(r => r.Version?.Text == "1").Detail);
        Assert.Equal(Engine.Planning.Validator.Valid, ignored.Single(r => r.Version?.Text == "2").Detail);
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => ValidateAsync(s => s with { IgnoreMigrationPatterns = ["versioned:gone"] }));
        Assert.Equal("InvalidIgnorePattern", e.ErrorId);
    }

    [Fact]
    public async Task Baseline_writes_flyways_row_then_migrate_applies_only_newer_versions()
    {
        await ExecAsync("CREATE TABLE legacy (id int)");
        Dir.Write("V1__legacy.sql", "CREATE TABLE legacy (id int);");
        Dir.Write("V2__next.sql", "CREATE TABLE next (id int);");

        var result = await BaselineAsync();

        Assert.True(result.Created);
        Assert.Equal(1, result.InstalledRank);
        Assert.Equal(["1|1|<< Flyway Baseline >>|BASELINE|<< Flyway Baseline >>|-|true"], await HistoryAsync());
        Assert.Equal(0, await ScalarAsync<int>("SELECT execution_time FROM flyway_schema_history"));
        Assert.Equal("2", Assert.Single(await MigrateAsync()).Version?.Text);

        var again = await BaselineAsync(s => s with { BaselineVersion = "1" });
        Assert.False(again.Created);
    }

    [Fact]
    public async Task Baseline_is_refused_over_applied_migrations_or_another_baseline()
    {
        Dir.Write("V1__a.sql", "SELECT 1;");
        await BaselineAsync(s => s with { BaselineVersion = "5" });
        var conflict = await Assert.ThrowsAsync<SchemaOpsException>(() => BaselineAsync(s => s with { BaselineVersion = "6" }));
        Assert.Equal("BaselineConflict", conflict.ErrorId);
        Assert.Equal(MigrationState.BelowBaseline, (await InfoAsync()).Single(i => i.Version?.Text == "1" && i.Kind == MigrationKind.Versioned).State);

        await ExecAsync("DROP TABLE flyway_schema_history");
        await MigrateAsync();
        var notEmpty = await Assert.ThrowsAsync<SchemaOpsException>(() => BaselineAsync());
        Assert.Equal("BaselineNotEmpty", notEmpty.ErrorId);
    }

    [Fact]
    public async Task Baseline_under_whatif_changes_nothing()
    {
        var sink = new RecordingSink(whatIf: true);
        var result = await BaselineAsync(sink: sink);
        Assert.False(result.Created);
        Assert.Single(sink.Questions);
        Assert.False(await TableExistsAsync("flyway_schema_history"));
    }
}
