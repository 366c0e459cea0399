using SchemaOps.Engine.Configuration;

namespace SchemaOps.Engine.Tests.Configuration;

/// <summary>A dbmate project's .env, read as dbmate (godotenv) reads it.</summary>
public sealed class DotEnvFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Read(string text, Dictionary<string, string>? process = null) =>
        DotEnvFile.Read(_dir.Write(".env", text), new EnvironmentVariables(process ?? []));

    [Fact]
    public void Reads_plain_exported_quoted_and_commented_lines()
    {
        var values = Read("""
            # the app's settings
            DATABASE_URL=postgres://app:p#ss@db:5432/app?sslmode=disable  # inline comment
            export DBMATE_MIGRATIONS_DIR="./sql/migrations"
            SINGLE='literal $HOME \n'
            DOUBLE="line\nnext \"quoted\" \$HOME C:\temp"
            EMPTY=
              SPACED = padded value
            FROM_COMPOSE

            """);
        Assert.Equal("postgres://app:p#ss@db:5432/app?sslmode=disable", values["DATABASE_URL"]); // '#' inside a word is no comment
        Assert.Equal("./sql/migrations", values["DBMATE_MIGRATIONS_DIR"]);
        Assert.Equal("literal $HOME \\n", values["SINGLE"]);
        Assert.Equal("line\nnext \"quoted\" $HOME C:\\temp", values["DOUBLE"]); // other backslashes stay, as in godotenv
        Assert.Equal("", values["EMPTY"]);
        Assert.Equal("padded value", values["SPACED"]);
        Assert.False(values.ContainsKey("FROM_COMPOSE")); // docker compose's bare name: taken from the environment, set by nobody here
    }

    [Fact]
    public void Expands_earlier_lines_and_the_process_environment_except_in_single_quotes()
    {
        var values = Read("""
            HOST=db01
            URL=postgres://${APP_USER}@${HOST}/$DB
            RAW='${HOST}'
            MISSING="x${NOPE}y"
            """, new() { ["APP_USER"] = "ops", ["DB"] = "shop" });
        Assert.Equal("postgres://ops@db01/shop", values["URL"]);
        Assert.Equal("${HOST}", values["RAW"]);
        Assert.Equal("xy", values["MISSING"]);
    }

    [Fact]
    public void A_quoted_value_may_span_lines_as_an_application_s_key_does()
    {
        var values = Read("KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nDATABASE_URL=postgres://u@h/d\n");
        Assert.Equal("-----BEGIN KEY-----\nabc\n-----END KEY-----", values["KEY"]);
        Assert.Equal("postgres://u@h/d", values["DATABASE_URL"]);
    }

    [Theory]
    [InlineData("DATABASE_URL=postgres://u@h/d\nnot a setting\n", 2, "is not KEY=VALUE")]
    [InlineData("A=1\nB=\"never closed\nC=3\n", 2, "never closes")]
    [InlineData("=value\n", 1, "is not KEY=VALUE")]
    [InlineData("A='x' y\n", 1, "text after its closing quote")]
    public void A_line_it_cannot_read_is_named_by_file_and_line_and_not_echoed(string text, int line, string what)
    {
        var path = Path.Combine(_dir.Path, ".env");
        var e = Assert.Throws<SchemaOpsException>(() => Read(text));
        Assert.Equal("InvalidConfigFile", e.ErrorId);
        Assert.Contains($"{path}:{line}:", e.Message);
        Assert.Contains(what, e.Message);
        Assert.DoesNotContain("never closed", e.Message); // a line may hold a secret
    }
}
