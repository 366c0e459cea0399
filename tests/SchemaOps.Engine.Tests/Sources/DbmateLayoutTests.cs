using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Sources;

public class DbmateLayoutTests
{
    private static IReadOnlyList<MigrationScript> Scan(TempDir dir) => DbmateLayout.Scan([dir.Path]);

    [Fact]
    public void Reads_up_and_down_sections_keeping_file_line_numbers()
    {
        using var dir = new TempDir();
        dir.Write("20240115093000_create_users.sql", """
            -- a header comment is fine
            -- migrate:up
            CREATE TABLE users (id int);
            ALTER TABLE users ADD email text
            -- migrate:down
            DROP TABLE users;
            """);

        var found = Scan(dir);

        var up = Assert.Single(found, s => s.Kind == MigrationKind.Versioned);
        var down = Assert.Single(found, s => s.Kind == MigrationKind.Undo);
        Assert.Equal(("20240115093000", "create users", "20240115093000_create_users.sql"), (up.Version!.Text, up.Description, up.Script));
        var statements = PreparedScript.Prepare(up, 150000, mixed: false).Statements;
        Assert.Equal(["CREATE TABLE users (id int)", "ALTER TABLE users ADD email text"], statements.Select(s => s.Text)); // no final ';' needed
        Assert.Equal([3, 4], statements.Select(s => s.Line));
        Assert.Equal(6, Assert.Single(PreparedScript.Prepare(down, 150000, mixed: false).Statements).Line);
    }

    [Fact]
    public void Transaction_false_runs_the_section_statement_by_statement_even_with_several_concurrently()
    {
        using var dir = new TempDir();
        dir.Write("2_indexes.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY a_i ON a (x);\nCREATE INDEX CONCURRENTLY b_i ON b (x);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY a_i;\nDROP INDEX CONCURRENTLY b_i;\n");
        var up = PreparedScript.Prepare(Scan(dir).Single(s => s.Kind == MigrationKind.Versioned), 150000, mixed: false);
        Assert.False(up.InTransaction);
        Assert.Equal(2, up.Statements.Count);
    }

    [Fact]
    public void The_empty_file_dbmate_new_writes_is_valid()
    {
        using var dir = new TempDir();
        dir.Write("20240101000000_empty.sql", "-- migrate:up\n\n\n-- migrate:down\n\n");
        Assert.All(Scan(dir), s => Assert.True(s.IsEmpty));
    }

    [Theory]
    [InlineData("CREATE TABLE t (id int);\n", 1, "no '-- migrate:up' section")]
    [InlineData("-- migrate:up\nCREATE TABLE t (id int);\n", 3, "no '-- migrate:down' section")]
    [InlineData("-- migrate:down\nDROP TABLE t;\n-- migrate:up\nCREATE TABLE t (id int);\n", 1, "comes before")]
    [InlineData("SELECT 1;\n-- migrate:up\nSELECT 2;\n-- migrate:down\n", 1, "belong to no section")]
    [InlineData("-- migrate:up transaction:maybe\nSELECT 1;\n-- migrate:down\n", 1, "unknown option 'transaction:maybe'")]
    public void Malformed_files_are_errors_naming_file_and_line(string text, int line, string problem)
    {
        using var dir = new TempDir();
        dir.Write("7_bad.sql", text);
        var e = Assert.Throws<SchemaOpsException>(() => Scan(dir));
        Assert.Equal("InvalidDbmateMigration", e.ErrorId);
        Assert.Contains($"7_bad.sql:{line}: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Other_files_are_skipped_and_duplicate_versions_are_errors()
    {
        using var dir = new TempDir();
        dir.Write("README.md", "notes");
        dir.Write("schema.sql", "-- dbmate dump");
        dir.Write("1_a.sql", "-- migrate:up\n-- migrate:down\n");
        Assert.Equal(2, Scan(dir).Count);
        dir.Write("01_b.sql", "-- migrate:up\n-- migrate:down\n");
        Assert.Equal("DuplicateMigrationVersion", Assert.Throws<SchemaOpsException>(() => Scan(dir)).ErrorId);
    }
}
