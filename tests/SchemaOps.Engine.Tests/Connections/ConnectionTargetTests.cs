using System.Net;
using Npgsql;
using SchemaOps.Engine.Connections;

namespace SchemaOps.Engine.Tests.Connections;

public class ConnectionTargetTests
{
    private static NpgsqlConnectionStringBuilder Built(ConnectionTarget t) => new(t.ConnectionString);

    [Fact]
    public void Parses_a_dbmate_style_url_with_sslmode_and_search_path()
    {
        var t = ConnectionTarget.Parse("postgres://app:s%40cret@db.example:6543/orders?sslmode=disable&search_path=app");
        var b = Built(t);
        Assert.Equal("db.example", b.Host);
        Assert.Equal(6543, b.Port);
        Assert.Equal("orders", b.Database);
        Assert.Equal("app", b.Username);
        Assert.Equal("s@cret", b.Password);
        Assert.Equal(SslMode.Disable, b.SslMode);
        Assert.Equal("app", b.SearchPath);
        Assert.Equal("app@db.example:6543/orders", t.Display);
    }

    [Fact]
    public void Parses_a_flyway_jdbc_url()
    {
        var b = Built(ConnectionTarget.Parse("jdbc:postgresql://localhost:5433/shop?user=flyway&password=pw&currentSchema=sales"));
        Assert.Equal(("localhost", 5433, "shop", "flyway", "pw", "sales"), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SearchPath));
        Assert.Equal("shop", Built(ConnectionTarget.Parse("jdbc:postgresql:shop")).Database);
    }

    [Fact]
    public void A_flyway_url_keeps_pgjdbc_s_own_parameters_honouring_those_that_say_how_to_connect()
    {
        // As teams write flyway.url: through PgBouncer (prepareThreshold=0), TLS, an HA pair where only the primary takes migrations.
        var b = Built(ConnectionTarget.Parse("jdbc:postgresql://db1:5432,db2:5432/shop?ssl=true&prepareThreshold=0&socketTimeout=30&loginTimeout=7&targetServerType=primary&tcpKeepAlive=true&ApplicationName=deploy"));
        Assert.Equal(("db1,db2", "shop", SslMode.VerifyFull, 7, "primary", "deploy"), (b.Host, b.Database, b.SslMode, b.Timeout, b.TargetSessionAttributes, b.ApplicationName));
        Assert.Equal(SslMode.Require, Built(ConnectionTarget.Parse("jdbc:postgresql://h/d?ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory")).SslMode);
        Assert.Equal(SslMode.Disable, Built(ConnectionTarget.Parse("jdbc:postgresql://h/d?ssl=true&sslmode=disable")).SslMode); // sslmode wins, wherever it stands
        Assert.Equal(SslMode.Prefer, Built(ConnectionTarget.Parse("jdbc:postgresql://h/d?ssl=false")).SslMode);
        Assert.Equal("prefer-standby", Built(ConnectionTarget.Parse("jdbc:postgresql://h1,h2/d?targetServerType=preferSecondary")).TargetSessionAttributes);
        Assert.Null(Built(ConnectionTarget.Parse("jdbc:postgresql://h/d?targetServerType=primary")).TargetSessionAttributes); // one host: nothing to choose

        // libpq's own for the same HA pair (dbmate and golang-migrate URLs): they were refused as unknown parameters.
        var pair = Built(ConnectionTarget.Parse("postgres://u@db1:5432,db2:5432/shop?target_session_attrs=read-write&load_balance_hosts=random"));
        Assert.Equal(("db1,db2", "read-write", true), (pair.Host, pair.TargetSessionAttributes, pair.LoadBalanceHosts));
        Assert.Null(Built(ConnectionTarget.Parse("postgres://u@h/d?target_session_attrs=primary")).TargetSessionAttributes); // one host: nothing to choose
        Assert.Equal("InvalidConnectionUrl", Assert.Throws<SchemaOpsException>(() => ConnectionTarget.Parse("postgres://h1,h2/d?target_session_attrs=leader")).ErrorId);

        // Only in a JDBC URL: a postgres:// URL is libpq's, where these mean nothing.
        Assert.Equal("InvalidConnectionUrl", Assert.Throws<SchemaOpsException>(() => ConnectionTarget.Parse("postgres://h/d?prepareThreshold=0")).ErrorId);
        Assert.Equal("InvalidConnectionUrl", Assert.Throws<SchemaOpsException>(() => ConnectionTarget.Parse("jdbc:postgresql://h/d?targetServerType=leader")).ErrorId);
        Assert.Equal("InvalidConnectionUrl", Assert.Throws<SchemaOpsException>(() => ConnectionTarget.Parse("jdbc:postgresql://h/d?noSuchThing=1")).ErrorId);
    }

    [Fact]
    public void Several_hosts_share_a_port_or_keep_each_their_own()
    {
        var shared = ConnectionTarget.Parse("postgres://u@db1:6543,db2:6543/d");
        Assert.Equal(("db1,db2", 6543), (Built(shared).Host, Built(shared).Port));
        Assert.Equal("u@db1,db2:6543/d", shared.Display);
        var own = ConnectionTarget.Parse("postgres://u@db1:5432,db2:5433,[::1]:5434/d");
        Assert.Equal([("db1", 5432), ("db2", 5433), ("::1", 5434)], ConnectionTarget.Endpoints(Built(own)));
        Assert.Equal("u@db1:5432,db2:5433,[::1]:5434/d", own.Display);
        Assert.Equal([("db1", 5433), ("db2", 5432)], ConnectionTarget.Endpoints(Built(ConnectionTarget.Parse("postgres://u@db1:5433,db2/d"))));
    }

    [Fact]
    public void Parses_an_npgsql_connection_string_and_a_credential_overrides_user_and_password()
    {
        var t = ConnectionTarget.Parse("Host=h;Database=d;Username=u;Password=p", new NetworkCredential("admin", "secret2"));
        var b = Built(t);
        Assert.Equal(("admin", "secret2"), (b.Username, b.Password));
    }

    [Fact]
    public void Falls_back_to_DATABASE_URL()
    {
        var t = ConnectionTarget.Parse(null, environment: name => name == "DATABASE_URL" ? "postgresql://u@h/envdb" : null);
        Assert.Equal("envdb", t.Database);
        var e = Assert.Throws<SchemaOpsException>(() => ConnectionTarget.Parse(null, environment: _ => null));
        Assert.Equal("NoConnection", e.ErrorId);
    }

    [Theory]
    [InlineData("postgres://u:topsecret@h:99999/d")]
    [InlineData("postgres://u:topsecret@h/d?bogus=1")]
    [InlineData("postgres://u:topsecret@h/d?sslmode=maybe")]
    [InlineData("Host=h;Password=topsecret;Bogus Key=1")]
    [InlineData("Host=h;Password=topsecret;Bogus Key=")] // an empty value: Npgsql throws KeyNotFoundException, not ArgumentException
    public void Bad_input_is_a_clear_error_that_never_shows_the_password(string input)
    {
        var e = Assert.Throws<SchemaOpsException>(() => ConnectionTarget.Parse(input));
        Assert.Equal(SchemaOpsErrorCategory.InvalidArgument, e.Category);
        Assert.DoesNotContain("topsecret", e.Message);
    }

    [Fact]
    public void SplitSecret_takes_the_password_out_of_the_connection_string()
    {
        var (connectionString, user, password, sslPassword) = ConnectionTarget.Parse("postgres://app:topsecret@h:5433/d?search_path=x&sslpassword=keysecret").SplitSecret();
        Assert.DoesNotContain("topsecret", connectionString);
        Assert.DoesNotContain("keysecret", connectionString);
        Assert.Equal(("app", "topsecret", "keysecret"), (user, password, sslPassword));
        var back = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal(("h", 5433, "d", "x"), (back.Host, back.Port, back.Database, back.SearchPath));
    }

    [Fact]
    public void Display_never_holds_the_password()
    {
        var t = ConnectionTarget.Parse("postgres://u:topsecret@h/d");
        Assert.DoesNotContain("topsecret", t.Display);
        Assert.DoesNotContain("topsecret", t.ToString());
    }
}
