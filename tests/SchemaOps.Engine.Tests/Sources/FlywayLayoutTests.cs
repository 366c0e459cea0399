using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Sources;

public class FlywayLayoutTests
{
    private static IReadOnlyList<MigrationScript> Scan(TempDir dir, bool lenient = false, List<string>? warnings = null) =>
        FlywayLayout.Scan([dir.Path], new ScanOptions(lenient), warning: w => warnings?.Add(w));

    [Fact]
    public void Finds_versioned_undo_and_repeatable_recursively_with_relative_script_paths()
    {
        using var dir = new TempDir();
        dir.Write("V1__create_users.sql", "CREATE TABLE users (id int);");
        dir.Write("2022/V1_1__add_email.sql", "ALTER TABLE users ADD email text;");
        dir.Write("U1_1__add_email.sql", "ALTER TABLE users DROP email;");
        dir.Write("R__user_view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;");
        dir.Write("V2.sql", "SELECT 1;");
        dir.Write("notes.txt", "not a migration");
        dir.Write("Vendor.sql", "-- looks nothing like a migration name");

        var found = Scan(dir);

        Assert.Equal(5, found.Count);
        var v11 = found.Single(m => m.Script == "2022/V1_1__add_email.sql");
        Assert.Equal(MigrationKind.Versioned, v11.Kind);
        Assert.Equal("1.1", v11.Version!.Text);
        Assert.Equal("add email", v11.Description);
        Assert.Equal(MigrationKind.Undo, found.Single(m => m.Script == "U1_1__add_email.sql").Kind);
        var r = found.Single(m => m.Kind == MigrationKind.Repeatable);
        Assert.Equal("user view", r.Description);
        Assert.Null(r.Version);
        Assert.Equal("", found.Single(m => m.Script == "V2.sql").Description);
    }

    [Fact]
    public void Duplicate_versions_are_an_error_listing_both_files()
    {
        using var dir = new TempDir();
        dir.Write("V1__a.sql", "SELECT 1;");
        dir.Write("sub/V1.0__b.sql", "SELECT 2;");
        var e = Assert.Throws<SchemaOpsException>(() => Scan(dir));
        Assert.Equal("DuplicateMigrationVersion", e.ErrorId);
        Assert.Contains("V1__a.sql", e.Message);
        Assert.Contains("V1.0__b.sql", e.Message);
    }

    [Fact]
    public void Duplicate_repeatables_are_an_error()
    {
        using var dir = new TempDir();
        dir.Write("R__v.sql", "SELECT 1;");
        dir.Write("x/R__v.sql", "SELECT 2;");
        Assert.Equal("DuplicateRepeatableMigration", Assert.Throws<SchemaOpsException>(() => Scan(dir)).ErrorId);
    }

    [Theory]
    [InlineData("V__x.sql")]
    [InlineData("V1-2__x.sql")]
    [InlineData("R_x.sql")]
    [InlineData("V1.x__y.sql")]
    public void A_malformed_migration_name_is_an_error_by_default_and_skipped_when_lenient(string name)
    {
        using var dir = new TempDir();
        dir.Write(name, "SELECT 1;");
        var e = Assert.Throws<SchemaOpsException>(() => Scan(dir));
        Assert.Equal("InvalidMigrationName", e.ErrorId);
        Assert.Contains(name, e.Message);

        var warnings = new List<string>();
        Assert.Empty(Scan(dir, lenient: true, warnings));
        Assert.Contains(warnings, w => w.Contains(name));
    }

    [Theory]
    [InlineData("V2__seed.sh", ".sh")]
    [InlineData("R__refresh.ps1", ".ps1")]
    [InlineData("U2__seed.PY", ".PY")]
    public void A_flyway_script_migration_is_an_error_by_default_and_skipped_with_a_warning_when_lenient(string name, string suffix)
    {
        // It was passed over as "not a .sql file": a pending migration skipped unseen, and the next ones applied after it.
        using var dir = new TempDir();
        dir.Write("V1__a.sql", "SELECT 1;");
        dir.Write(name, "echo seeding");
        dir.Write("V3__notes.txt", "not a migration type at all");
        dir.Write("V4__b.sql.bak", "an editor's copy");
        var e = Assert.Throws<SchemaOpsException>(() => Scan(dir));
        Assert.Equal(("ScriptMigrationNotSupported", Path.Combine(dir.Path, name)), (e.ErrorId, e.File));
        Assert.Contains($"{name} is a Flyway script migration ({suffix})", e.Message);

        var warnings = new List<string>();
        Assert.Equal("1", Assert.Single(Scan(dir, lenient: true, warnings)).Version!.Text);
        Assert.Contains(warnings, w => w.Contains(name) && w.EndsWith("skipped"));
    }

    [Fact]
    public void Suffix_match_is_case_insensitive_and_prefix_is_case_sensitive()
    {
        using var dir = new TempDir();
        dir.Write("V1__a.SQL", "SELECT 1;");
        dir.Write("v2__b.sql", "SELECT 1;");
        var found = Scan(dir);
        Assert.Equal("1", Assert.Single(found).Version!.Text);
    }

    [Fact]
    public void Script_config_is_read_and_unknown_keys_are_errors_with_line()
    {
        using var dir = new TempDir();
        dir.Write("V1__idx.sql", "CREATE INDEX CONCURRENTLY i ON t (a);");
        dir.Write("V1__idx.sql.conf", "# comment\nexecuteInTransaction=false\n");
        Assert.False(Assert.Single(Scan(dir)).Config.ExecuteInTransaction);

        dir.Write("V1__idx.sql.conf", "executeInTransaction=false\nbogus=1\n");
        var e = Assert.Throws<SchemaOpsException>(() => Scan(dir));
        Assert.Contains("V1__idx.sql.conf:2", e.Message);
    }

    [Fact]
    public void An_empty_script_is_found_with_checksum_zero_and_a_warning()
    {
        using var dir = new TempDir();
        dir.Write("V1__empty.sql", "");
        var warnings = new List<string>();
        var m = Assert.Single(Scan(dir, warnings: warnings));
        Assert.Equal(0, m.Checksum);
        Assert.Single(warnings);
    }

    [Fact]
    public void A_missing_location_is_an_error()
    {
        var e = Assert.Throws<SchemaOpsException>(() => FlywayLayout.Scan(["/nonexistent/schemaops"], new ScanOptions()));
        Assert.Equal("LocationNotFound", e.ErrorId);
    }

    [Fact]
    public void Non_ascii_file_names_are_kept()
    {
        using var dir = new TempDir();
        dir.Write("V1__création_des_tables.sql", "SELECT 1;");
        Assert.Equal("création des tables", Assert.Single(Scan(dir)).Description);
    }
}
