using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Tests.Sql;

/// <summary>
/// psql's backslash commands in scripts: pg_dump's \restrict / \unrestrict pair (in every plain dump since
/// 17.6, 16.10, 15.14, 14.19, 13.22) is passed over; any other is an error naming file, line and command.
/// </summary>
public class PsqlCommandTests
{
    private static IReadOnlyList<SqlStatement> Split(string sql) => SqlSplitter.Split(sql, "db/V1__base.sql");

    [Fact]
    public void The_restrict_pair_pg_dump_writes_is_passed_over_and_glues_nothing_to_the_next_statement()
    {
        var s = Split("--\n-- PostgreSQL database dump\n--\n\n\\restrict AbC123\n\nSET statement_timeout = 0;\nCREATE TABLE a (id int);\n\n\\unrestrict AbC123\n");

        Assert.Equal(["SET statement_timeout = 0", "CREATE TABLE a (id int)"], s.Select(x => x.Text));
        Assert.Equal([7, 8], s.Select(x => x.Line));
    }

    [Theory]
    [InlineData("SELECT E'a\\\\b'; SELECT 2;")]                 // an E'' string's escaped backslash
    [InlineData("SELECT 'C:\\temp'; SELECT 2;")]               // a standard string's backslash is a character
    [InlineData("SELECT $$ \\i x $$; SELECT 2;")]
    [InlineData("SELECT \"we\\ird\"; SELECT 2;")]
    [InlineData("SELECT 1 /* \\i x */; SELECT 2;")]
    [InlineData("SELECT 1; -- \\i x\nSELECT 2;")]
    [InlineData("COPY t (v) FROM stdin;\na\\tb\n\\N\n\\.\nSELECT 2;")] // COPY data and its \. end
    public void A_backslash_inside_a_string_name_comment_or_copy_data_is_no_command(string sql)
    {
        Assert.Equal(2, Split(sql).Count);
    }

    [Theory]
    [InlineData("\\i other.sql", "\\i", "put the statements of the file it names")]
    [InlineData("\\set ON_ERROR_STOP on", "\\set", "placeholder")]
    [InlineData("\\connect other_db", "\\connect", "the one database")]
    [InlineData("\\copy t FROM 'data.csv' CSV", "\\copy", "replace it with the SQL it stands for")]
    public void Any_other_command_is_an_error_naming_file_line_and_command(string command, string name, string hint)
    {
        var e = Assert.Throws<SchemaOpsException>(() => Split($"CREATE TABLE a (id int);\n{command}\nCREATE TABLE b (id int);"));

        Assert.Equal("PsqlMetaCommand", e.ErrorId);
        Assert.StartsWith($"db/V1__base.sql:2: {name} is a psql command, not SQL", e.Message);
        Assert.Contains(hint, e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void A_command_inside_a_statement_is_an_error_even_the_restrict_pair()
    {
        // psql would run it and go on filling the statement; passed over, the statement's text would still hold it.
        var e = Assert.Throws<SchemaOpsException>(() => Split("CREATE TABLE a (\n\\restrict K\nid int);"));

        Assert.Equal("PsqlMetaCommand", e.ErrorId);
        Assert.StartsWith("db/V1__base.sql:2: \\restrict is a psql command, inside the statement that begins on line 1", e.Message);
    }
}
