using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Tests.Sql;

public class SplitterTests
{
    private static IReadOnlyList<SqlStatement> Split(string sql) => SqlSplitter.Split(sql, "f.sql");

    [Fact]
    public void Splits_on_top_level_semicolons_and_keeps_lines()
    {
        var s = Split("CREATE TABLE a (id int);\n\nINSERT INTO a VALUES (1);\n-- trailing comment\n");
        Assert.Equal(2, s.Count);
        Assert.Equal("CREATE TABLE a (id int)", s[0].Text);
        Assert.Equal(3, s[1].Line);
    }

    [Theory]
    [InlineData("SELECT 'a;b'; SELECT 2;")]
    [InlineData("SELECT E'it\\'s;'; SELECT 2;")]
    [InlineData("SELECT \"we;ird\" FROM t; SELECT 2;")]
    [InlineData("SELECT $$a;b$$; SELECT 2;")]
    [InlineData("SELECT $fn$ a; $$ ; $fn$; SELECT 2;")]
    [InlineData("SELECT 1 /* a; /* nested; */ b; */; SELECT 2;")]
    [InlineData("SELECT 1 -- a; b\n; SELECT 2;")]
    [InlineData("SELECT 'it''s;'; SELECT 2;")]
    [InlineData("SELECT U&'d\\0061t;a'; SELECT 2;")]
    public void Semicolons_inside_strings_identifiers_and_comments_do_not_split(string sql)
    {
        var s = Split(sql);
        Assert.Equal(2, s.Count);
        Assert.Equal("SELECT 2", s[1].Text);
    }

    [Fact]
    public void Begin_atomic_bodies_stay_one_statement_even_with_case_end()
    {
        var sql = """
            CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
              SELECT 2;
            END;
            SELECT 3;
            """;
        var s = Split(sql);
        Assert.Equal(2, s.Count);
        Assert.EndsWith("END", s[0].Text);
        Assert.Equal("SELECT 3", s[1].Text);
    }

    [Fact]
    public void Transaction_begin_is_not_mistaken_for_a_body()
    {
        var s = Split("BEGIN; CREATE TABLE t (a int); COMMIT;");
        Assert.Equal(3, s.Count);
    }

    [Fact]
    public void Dollar_parameter_is_not_a_quote()
    {
        var s = Split("PREPARE p AS SELECT $1; SELECT 2;");
        Assert.Equal(2, s.Count);
    }

    [Fact]
    public void Keywords_in_comments_and_strings_are_not_words()
    {
        var s = Split("/* CREATE INDEX CONCURRENTLY */ SELECT 'VACUUM' -- DROP DATABASE\n;");
        Assert.Equal(["SELECT"], s[0].Words);
    }

    [Theory]
    [InlineData("SELECT 'abc;\nSELECT 1;", 1, "string")]
    [InlineData("SELECT 1;\nSELECT $$abc;", 2, "dollar-quoted")]
    [InlineData("SELECT 1;\n\n/* a /* b */ ;", 3, "block comment")]
    [InlineData("SELECT \"abc;", 1, "quoted identifier")]
    [InlineData("SELECT 1;\nSELECT E'abc\\';", 2, "string")]
    public void Unterminated_constructs_are_errors_naming_file_and_line(string sql, int line, string what)
    {
        var e = Assert.Throws<SchemaOpsException>(() => Split(sql));
        Assert.Equal("UnterminatedSql", e.ErrorId);
        Assert.Contains($"f.sql:{line}:", e.Message);
        Assert.Contains(what, e.Message);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void Lines_count_crlf_and_lone_cr()
    {
        var s = Split("SELECT 1;\r\nSELECT 2;\rSELECT 3;\n");
        Assert.Equal([1, 2, 3], s.Select(x => x.Line));
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY i ON t (a)", true)]
    [InlineData("create unique index concurrently i on t (a)", true)]
    [InlineData("DROP INDEX CONCURRENTLY i", true)]
    [InlineData("REINDEX TABLE CONCURRENTLY t", true)]
    [InlineData("REINDEX SCHEMA app", true)]
    [InlineData("VACUUM ANALYZE t", true)]
    [InlineData("ALTER SYSTEM SET work_mem = '8MB'", true)]
    [InlineData("CREATE DATABASE x", true)]
    [InlineData("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", true)]
    [InlineData("ALTER TYPE mood ADD VALUE 'x'", false)]
    [InlineData("CREATE INDEX i ON t (a)", false)]
    [InlineData("SELECT 'CREATE INDEX CONCURRENTLY'", false)]
    [InlineData("/* VACUUM */ SELECT 1", false)]
    [InlineData("REINDEX TABLE t", false)]
    public void Classifies_statements_that_cannot_run_in_a_transaction(string sql, bool nonTransactional)
    {
        var s = Assert.Single(Split(sql));
        Assert.Equal(nonTransactional, TransactionRules.NonTransactionalReason(s) is not null);
    }

    [Fact]
    public void Alter_type_add_value_is_non_transactional_only_before_pg12()
    {
        var s = Assert.Single(Split("ALTER TYPE mood ADD VALUE 'x'"));
        Assert.NotNull(TransactionRules.NonTransactionalReason(s, 110000));
        Assert.Null(TransactionRules.NonTransactionalReason(s, 120000));
    }

    [Fact]
    public void Copy_from_stdin_carries_its_data_lines_which_are_never_split_or_lexed()
    {
        var s = Split("COPY t (a, b) FROM stdin;\n1\tit's; -- not a comment\n2\t$$ /* \\.x\n\\.\nSELECT 'after';\n");

        Assert.Equal(2, s.Count);
        Assert.Equal("COPY t (a, b) FROM stdin", s[0].Text);
        Assert.Equal("1\tit's; -- not a comment\n2\t$$ /* \\.x\n", s[0].CopyData);
        Assert.Equal(("SELECT 'after'", 5), (s[1].Text, s[1].Line));
        Assert.Null(s[1].CopyData);
    }

    [Theory]
    [InlineData("COPY t TO STDOUT;\nSELECT 1;")]
    [InlineData("COPY (SELECT 'FROM STDIN') TO STDOUT;\nSELECT 1;")]
    [InlineData("COPY t FROM '/tmp/file';\nSELECT 1;")]
    [InlineData("CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; COPY t FROM stdin; END;\nSELECT 1;")] // body text, as psql reads it (fuzzing found the lexer disagreeing)
    public void Other_copies_have_no_data(string sql)
    {
        var s = Split(sql);
        Assert.Equal(2, s.Count);
        Assert.All(s, x => Assert.Null(x.CopyData));
    }

    [Fact]
    public void Copy_data_without_its_closing_line_is_an_error_naming_where_it_starts()
    {
        var e = Assert.Throws<SchemaOpsException>(() => Split("SELECT 1;\nCOPY t FROM stdin;\n1\n2\n"));
        Assert.Equal(("UnterminatedSql", 3), (e.ErrorId, e.Line));
        Assert.Contains("f.sql:3: unterminated COPY ... FROM STDIN data", e.Message);
    }
}
