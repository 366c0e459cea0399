using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Sources;

public class GolangMigrateLayoutTests
{
    [Fact]
    public void Pairs_up_and_down_files_and_accepts_empty_or_missing_downs()
    {
        using var dir = new TempDir();
        dir.Write("1_create_users.up.sql", "CREATE TABLE users (id int);");
        dir.Write("1_create_users.down.sql", "DROP TABLE users;");
        dir.Write("20240115093000_add_email.up.sql", "ALTER TABLE users ADD email text;");
        dir.Write("20240115093000_add_email.down.sql", "");
        dir.Write("20240116000000_seed.up.sql", "INSERT INTO users VALUES (1);");
        dir.Write("README.md", "notes");

        var found = GolangMigrateLayout.Scan([dir.Path]);

        Assert.Equal(3, found.Count(s => s.Kind == MigrationKind.Versioned));
        Assert.Equal(2, found.Count(s => s.Kind == MigrationKind.Undo));
        var up = found.Single(s => s.Kind == MigrationKind.Versioned && s.Version!.Text == "20240115093000");
        Assert.Equal(("add email", "20240115093000_add_email.up.sql"), (up.Description, up.Script));
        Assert.True(found.Single(s => s.Kind == MigrationKind.Undo && s.Version!.Text == "20240115093000").IsEmpty);
    }

    [Fact]
    public void A_down_without_its_up_and_duplicate_versions_are_errors()
    {
        using var dir = new TempDir();
        dir.Write("3_orphan.down.sql", "DROP TABLE x;");
        var e = Assert.Throws<SchemaOpsException>(() => GolangMigrateLayout.Scan([dir.Path]));
        Assert.Equal("DownWithoutUp", e.ErrorId);
        Assert.Contains("3_orphan.down.sql", e.Message);

        using var dup = new TempDir();
        dup.Write("4_a.up.sql", "SELECT 1;");
        dup.Write("04_b.up.sql", "SELECT 2;");
        Assert.Equal("DuplicateMigrationVersion", Assert.Throws<SchemaOpsException>(() => GolangMigrateLayout.Scan([dup.Path])).ErrorId);
    }

    [Fact]
    public void An_up_and_down_pair_with_different_titles_is_an_error_naming_both()
    {
        using var dir = new TempDir();
        dir.Write("5_add_email.up.sql", "SELECT 1;");
        dir.Write("5_add_mail.down.sql", "SELECT 1;");
        var e = Assert.Throws<SchemaOpsException>(() => GolangMigrateLayout.Scan([dir.Path]));
        Assert.Equal("MismatchedMigrationPair", e.ErrorId);
        Assert.Contains("5_add_mail.down.sql does not match", e.Message);
        Assert.Contains("5_add_email.up.sql", e.Message);
    }
}
