using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Sources;

public class LayoutDetectionTests
{
    [Theory]
    [InlineData("V1__a.sql", MigrationLayout.Flyway)]
    [InlineData("R__view.sql", MigrationLayout.Flyway)]
    [InlineData("20240101000000_a.sql", MigrationLayout.Dbmate)]
    [InlineData("1_a.up.sql", MigrationLayout.GolangMigrate)]
    [InlineData("README.md", MigrationLayout.Auto)]
    public void Detects_the_layout_from_file_names(string file, MigrationLayout expected)
    {
        using var dir = new TempDir();
        dir.Write(file, "-- migrate:up\n-- migrate:down\n");
        Assert.Equal(expected, MigrationLayouts.Detect([dir.Path]));
    }

    [Fact]
    public void A_folder_mixing_layouts_is_refused_naming_a_file_of_each()
    {
        using var dir = new TempDir();
        dir.Write("V1__a.sql", "SELECT 1;");
        dir.Write("2_b.up.sql", "SELECT 1;");

        var e = Assert.Throws<SchemaOpsException>(() => MigrationLayouts.Scan(MigrationLayout.Auto, [dir.Path], new ScanOptions()));

        Assert.Equal("MixedMigrationLayouts", e.ErrorId);
        Assert.Contains("V1__a.sql", e.Message);
        Assert.Contains("2_b.up.sql", e.Message);
        Assert.Contains("-Layout", e.Message);
    }

    [Fact]
    public void An_explicit_layout_reads_only_its_own_files()
    {
        using var dir = new TempDir();
        dir.Write("V1__a.sql", "SELECT 1;");
        dir.Write("2_b.up.sql", "SELECT 2;");

        var scanned = MigrationLayouts.Scan(MigrationLayout.GolangMigrate, [dir.Path], new ScanOptions());

        Assert.Equal(MigrationLayout.GolangMigrate, scanned.Layout);
        Assert.Equal("2", Assert.Single(scanned.Scripts).Version!.Text);
    }

    [Theory]
    [InlineData("golang-migrate", MigrationLayout.GolangMigrate)]
    [InlineData("DBMATE", MigrationLayout.Dbmate)]
    [InlineData("auto", MigrationLayout.Auto)]
    public void Cli_names_parse_back(string text, MigrationLayout layout) => Assert.Equal(layout, MigrationLayouts.ParseCliName(text));

    [Fact]
    public void An_unknown_cli_name_lists_the_known_ones() =>
        Assert.Contains("flyway, dbmate, golang-migrate", Assert.Throws<SchemaOpsException>(() => MigrationLayouts.ParseCliName("liquibase")).Message);

    [Fact]
    public void New_migration_in_a_dbmate_folder_is_a_timestamped_file_with_both_sections()
    {
        using var dir = new TempDir();
        dir.Write("20240101000000_a.sql", "-- migrate:up\n-- migrate:down\n");

        var files = NewMigrationOperation.Create(dir.Path, "add b", withUndo: true, new RecordingSink(), utcNow: new DateTime(2026, 11, 21, 9, 30, 5, DateTimeKind.Utc));

        Assert.Equal("20261121093005_add_b.sql", Path.GetFileName(Assert.Single(files).Path));
        Assert.Equal(2, DbmateLayout.Scan([dir.Path]).Count(s => s.Version!.Text == "20261121093005"));
    }

    [Fact]
    public void New_migration_in_a_golang_migrate_folder_never_goes_back_in_time()
    {
        using var dir = new TempDir();
        dir.Write("30000101000000_future.up.sql", "SELECT 1;");

        var files = NewMigrationOperation.Create(dir.Path, "next", withUndo: true, new RecordingSink(), utcNow: new DateTime(2026, 11, 21, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(["30000101000001_next.up.sql", "30000101000001_next.down.sql"], files.Select(f => Path.GetFileName(f.Path)));
    }
}
