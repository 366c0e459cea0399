using System.Text;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Sources;

public class ChecksumTests
{
    // The vectors from shared/reference/flyway-compat.md, as file bytes.
    [Theory]
    [InlineData("", 0)]
    [InlineData("SELECT 1;", 78787420)]
    [InlineData("SELECT 1;\n", 78787420)]
    [InlineData("SELECT 1;\r\n", 78787420)]
    [InlineData("\uFEFFSELECT 1;", 78787420)]
    [InlineData("SELECT 1; ", -1951047511)]
    [InlineData("CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n", -956080171)]
    [InlineData("CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n", -956080171)]
    [InlineData("CREATE TABLE a (id int);\rCREATE TABLE b (id int);\r", -956080171)]
    [InlineData("CREATE TABLE a (id int);\n\n\nCREATE TABLE b (id int);\n\n", -956080171)]
    [InlineData("\uFEFFCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n", -956080171)]
    [InlineData("CREATE TABLE a (id int);  \nCREATE TABLE b (id int);\n", 1282934068)]
    [InlineData("INSERT INTO t VALUES ('på');\n", -355260882)]
    [InlineData("SELECT 1;\n\tSELECT 2;\n", 33642645)]
    public void Matches_flyway_vectors_read_from_a_file(string content, int expected)
    {
        using var dir = new TempDir();
        var path = dir.WriteBytes("V1__x.sql", Encoding.UTF8.GetBytes(content));
        Assert.Equal(expected, FlywayChecksum.Compute(ScriptReader.Read(path, "V1__x.sql")));
    }

    [Fact]
    public void Crc32_of_known_string_matches_zlib()
    {
        // zlib.crc32(b"123456789") == 0xCBF43926, the standard CRC-32 check value.
        Assert.Equal(unchecked((int)0xCBF43926), FlywayChecksum.Compute("123456789"));
    }

    [Fact]
    public void A_bom_only_counts_at_the_start()
    {
        Assert.NotEqual(FlywayChecksum.Compute("SELECT 1;"), FlywayChecksum.Compute("SELECT 1;\n\uFEFF"));
    }

    [Fact]
    public void Invalid_utf8_is_an_error_naming_file_and_line()
    {
        using var dir = new TempDir();
        var path = dir.WriteBytes("V1__x.sql", [.. "SELECT 1;\nSELECT '"u8, 0xC3, 0x28, .. "';\n"u8]);
        var e = Assert.Throws<SchemaOpsException>(() => ScriptReader.Read(path, "db/V1__x.sql"));
        Assert.Equal("InvalidScriptEncoding", e.ErrorId);
        Assert.Contains("db/V1__x.sql:2", e.Message);
    }

    [Fact]
    public void A_configured_encoding_is_decoded_before_checksumming()
    {
        using var dir = new TempDir();
        var path = dir.WriteBytes("V1__x.sql", Encoding.Latin1.GetBytes("INSERT INTO t VALUES ('på');\n"));
        Assert.Equal(-355260882, FlywayChecksum.Compute(ScriptReader.Read(path, "V1__x.sql", Encoding.Latin1)));
    }
}
