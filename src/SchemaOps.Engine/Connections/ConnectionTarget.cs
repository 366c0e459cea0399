using System.Net;
using Npgsql;

namespace SchemaOps.Engine.Connections;

/// <summary>
/// Where to connect, built from whatever the user had: an Npgsql connection string, a postgres:// URL
/// (dbmate, libpq), a jdbc:postgresql:// URL (Flyway), or DATABASE_URL. <see cref="Display"/> is the only
/// form that ever reaches output: it never holds the password.
/// </summary>
public sealed class ConnectionTarget
{
    private readonly string _connectionString;

    private ConnectionTarget(NpgsqlConnectionStringBuilder builder)
    {
        builder.ApplicationName ??= "schemaops";
        // The server's DETAIL (which key is duplicated, which row fails a check) is what an operator needs to
        // fix a failed migration. It describes data, never credentials.
        builder.IncludeErrorDetail = true;
        // No client-side limit on how long a statement may run: a backfill or an index on a big table takes as
        // long as it takes (Npgsql's default would abort it at 30 s). A limit is the server's statement_timeout
        // (-StatementTimeout / --statement-timeout), which fails the migration cleanly.
        builder.CommandTimeout = 0;
        // With no command timeout, a server that vanished mid-statement must still be noticed: TCP keepalives. Not on a
        // Unix socket (a host that is a folder, or '@' for an abstract one: the server's own machine), which has none:
        // setting them fails every connect.
        var endpoints = Endpoints(builder);
        if (!builder.TcpKeepAlive && builder.TcpKeepAliveTime == 0 && !endpoints.Any(e => e.Host.StartsWith('/') || e.Host.StartsWith('@')))
        {
            builder.TcpKeepAlive = true;
            builder.TcpKeepAliveTime = 60;
            builder.TcpKeepAliveInterval = 10;
        }
        _connectionString = builder.ConnectionString;
        Database = builder.Database ?? builder.Username ?? "";
        Server = ServerText(endpoints);
        Display = $"{builder.Username ?? "(default user)"}@{Server}/{Database}";
        SearchPath = builder.SearchPath is { Length: > 0 } searchPath ? searchPath : null;
    }

    /// <summary>The search_path the connection text asks for (a URL's search_path or currentSchema), sent when connecting.</summary>
    public string? SearchPath { get; }

    /// <summary>
    /// Each host with its port: a host list may give each its own ("h1:5432,h2:5433", as a URL's authority does), the
    /// others take the Port setting. IPv6 addresses keep their brackets when they carry a port.
    /// </summary>
    internal static IReadOnlyList<(string Host, int Port)> Endpoints(NpgsqlConnectionStringBuilder builder) =>
        (builder.Host ?? "localhost").Split(',').Select(h => h.Trim()).Select(h =>
        {
            var colon = h.StartsWith('[') ? h.IndexOf("]:", StringComparison.Ordinal) + 1 : h.Count(c => c == ':') == 1 ? h.IndexOf(':') : -1;
            return colon > 0 && int.TryParse(h[(colon + 1)..], out var port) ? (h[..colon].Trim('[', ']'), port) : (h.Trim('[', ']'), builder.Port);
        }).ToList();

    /// <summary>"h1,h2:5432" when the hosts share a port, else "h1:5432,h2:5433".</summary>
    private static string ServerText(IReadOnlyList<(string Host, int Port)> endpoints) =>
        endpoints.Select(e => e.Port).Distinct().Count() == 1
            ? $"{string.Join(',', endpoints.Select(e => e.Host))}:{endpoints[0].Port}"
            : string.Join(',', endpoints.Select(e => $"{(e.Host.Contains(':') ? $"[{e.Host}]" : e.Host)}:{e.Port}"));

    public string Database { get; }

    /// <summary>host:port: which server, whatever the database.</summary>
    public string Server { get; }

    /// <summary>user@host:port/database, never the password.</summary>
    public string Display { get; }

    public override string ToString() => Display;

    /// <summary>The database part of a <see cref="Display"/> text (as snapshots record where they were taken).</summary>
    public static string DatabaseOf(string display) => display[(display.LastIndexOf('/') + 1)..];

    /// <summary>A connection (not yet open) from the one pool this process keeps for this connection string.</summary>
    public NpgsqlConnection CreateConnection()
    {
        ForgetEmptyPasswordVariables();
        return DataSources.GetOrAdd(_connectionString, BuildDataSource).Value.CreateConnection();
    }

    /// <summary>
    /// libpq takes an empty PGPASSWORD or PGPASSFILE for unset (and reads ~/.pgpass); Npgsql sends the empty password,
    /// or reads a file named "" and fails with "The value cannot be an empty string (Parameter 'path')". A CI job exporting
    /// an unset secret does exactly that. Removed from this process, so Npgsql reads them as libpq does (the tools
    /// SchemaOps starts get their own environment either way).
    /// </summary>
    private static void ForgetEmptyPasswordVariables()
    {
        foreach (var name in (string[])["PGPASSWORD", "PGPASSFILE"])
            if (Environment.GetEnvironmentVariable(name) is "") Environment.SetEnvironmentVariable(name, null);
    }

    /// <summary>The connection string itself, password and all: for tests, never for output.</summary>
    internal string ConnectionString => _connectionString;

    // One data source (pool) per connection string for the life of the process, as `new NpgsqlConnection(string)`
    // keeps one: pwsh runs many cmdlets against one database and reuses its connections.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> DataSources = new();

    private static Lazy<NpgsqlDataSource> BuildDataSource(string connectionString) => new(() =>
    {
        // Which of several hosts to use (a Flyway URL's targetServerType) is asked of a multi-host data source, not said in its connection string.
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var targetSession = settings.TargetSessionAttributes;
        settings.TargetSessionAttributes = null;
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        // Npgsql's first connection otherwise loads every type of the database (a query over pg_type, then building
        // the mappings): 80-100 ms, most of a no-op migrate's time. SchemaOps reads built-in types only (catalogs,
        // history tables; a migration's own results are skipped unread), which Npgsql knows without asking.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        return targetSession is null ? builder.Build()
            : builder.BuildMultiHost().WithTargetSession(Enum.Parse<TargetSessionAttributes>(targetSession.Replace("-", ""), ignoreCase: true));
    });

    /// <summary>Closes the idle pooled connections of every target (tests that drop databases; NpgsqlConnection.ClearAllPools knows only its own pools).</summary>
    internal static void ClearAllPools()
    {
        foreach (var source in DataSources.Values.Where(s => s.IsValueCreated)) source.Value.Clear();
    }

    /// <summary>How a failed first connection is tried again (Flyway's connectRetries); by default it is not.</summary>
    public ConnectRetryPolicy ConnectRetries { get; private init; } = ConnectRetryPolicy.None;

    /// <summary>The same target, its first connections tried again by <paramref name="policy"/>.</summary>
    public ConnectionTarget WithConnectRetries(ConnectRetryPolicy policy) =>
        new(new NpgsqlConnectionStringBuilder(_connectionString)) { ConnectRetries = policy };

    /// <summary>An open connection; a failure to connect is a SchemaOps error naming the target and what was being done.</summary>
    internal async Task<NpgsqlConnection> OpenAsync(string doing, IOperationSink sink, CancellationToken ct) =>
        (await OpenAsync(ConnectRetries, doing, sink, ct).ConfigureAwait(false)).Connection;

    /// <summary>
    /// An open connection and how many tries it took: a transient failure (see <see cref="ConnectRetryPolicy.IsTransient"/>)
    /// is tried again as <paramref name="policy"/> says, each retry said in verbose output. Running out of tries, or
    /// of the policy's deadline, is an error saying how long it tried.
    /// </summary>
    internal async Task<(NpgsqlConnection Connection, int Attempts)> OpenAsync(ConnectRetryPolicy policy, string doing, IOperationSink sink, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SchemaOpsException? failure = null;
        for (var attempt = 1; ; attempt++)
        {
            var connection = CreateConnection();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (policy.Deadline is { } deadline) limit.CancelAfter(TimeSpan.FromTicks(Math.Max(1, (deadline - clock.Elapsed).Ticks)));
            try
            {
                await connection.OpenAsync(limit.Token).ConfigureAwait(false);
                sink.WriteVerbose($"connected to {Display} (PostgreSQL {connection.PostgreSqlVersion}) for {doing}");
                return (connection, attempt);
            }
            catch (Exception e)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                var outOfTime = limit.IsCancellationRequested && !ct.IsCancellationRequested;
                var pause = policy.PauseBefore(attempt);
                var retry = !outOfTime && attempt <= policy.Retries && ConnectRetryPolicy.IsTransient(e)
                            && (policy.Deadline is not { } d || clock.Elapsed + pause < d);
                // A try cut off by the deadline says nothing new: the one before it said why.
                if (!outOfTime || failure is null) failure = DatabaseErrors.Translate(e, this, doing);
                if (!retry) throw GaveUp(failure, e, policy, attempt, outOfTime || policy.Deadline is not null && ConnectRetryPolicy.IsTransient(e), clock.Elapsed);
                sink.WriteVerbose($"{failure.Message}; try {attempt + 1} in {pause.TotalSeconds:0.#} s");
                await Task.Delay(pause, ct).ConfigureAwait(false);
            }
        }
    }

    private SchemaOpsException GaveUp(SchemaOpsException failure, Exception cause, ConnectRetryPolicy policy, int attempts, bool deadlinePassed, TimeSpan elapsed)
    {
        var tried = $"{attempts} {(attempts == 1 ? "try" : "tries")} in {elapsed.TotalSeconds:0.#} s";
        if (deadlinePassed)
            return new SchemaOpsException(ErrorCatalog.DatabaseNotReady,
                $"{Display} did not accept connections within {policy.Deadline!.Value.TotalSeconds:0.#} s ({tried})" +
                (failure.Kind == ErrorCatalog.OperationCanceled ? "" : $"; last: {failure.Message}"), inner: cause, target: Display);
        return attempts == 1 ? failure
            : new SchemaOpsException(failure.Kind, $"{failure.Message} (gave up after {tried})", inner: cause, target: Display);
    }

    /// <summary>The same server and credentials, another database; unpooled (for a database about to be dropped).</summary>
    public ConnectionTarget WithDatabase(string database) =>
        new(new NpgsqlConnectionStringBuilder(_connectionString) { Database = database, Pooling = false });

    /// <summary>
    /// The connection as an Npgsql connection string without its secrets (the password, and the client key's passphrase),
    /// plus the user and the secrets, so a caller can keep them apart and show the rest.
    /// </summary>
    public (string ConnectionString, string? UserName, string? Password, string? SslPassword) SplitSecret()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        var (password, sslPassword) = (builder.Password, builder.SslPassword);
        builder.Password = null;
        builder.Remove("SSL Password");
        return (builder.ConnectionString, builder.Username, password, sslPassword);
    }

    /// <summary>
    /// Parses the input. <paramref name="credential"/> (a PSCredential in the cmdlets) overrides user and
    /// password. With no input, DATABASE_URL from <paramref name="environment"/> is used.
    /// </summary>
    public static ConnectionTarget Parse(string? input, NetworkCredential? credential = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (string.IsNullOrWhiteSpace(input)) input = environment("DATABASE_URL");
        if (string.IsNullOrWhiteSpace(input))
            throw Errors.Parameter(ErrorCatalog.NoConnection,
                "no database given: pass -ConnectionString / --url (a connection string or a postgres:// URL), choose a config environment with a url (-Environment / --environment), or set DATABASE_URL");

        var builder = input.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase) ? ParseJdbc(input)
            : input.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ? ParseUrl(input)
            : ParseConnectionString(input);

        if (credential is not null)
        {
            if (!string.IsNullOrEmpty(credential.UserName)) builder.Username = credential.UserName;
            if (!string.IsNullOrEmpty(credential.Password)) builder.Password = credential.Password;
        }
        FillFromLibpqTlsVariables(builder);
        return new ConnectionTarget(builder);
    }

    /// <summary>
    /// libpq's TLS variables fill what the connection text leaves out, as they do for psql and pg_dump: a job that
    /// exports PGSSLMODE=verify-full and PGSSLROOTCERT (a managed server's CA) must not connect unverified here (Npgsql
    /// reads the certificate variables but not PGSSLMODE), and the tools SchemaOps starts, which see none of the
    /// caller's PG variables (<see cref="LibpqEnvironment"/>), get them from the connection.
    /// </summary>
    private static void FillFromLibpqTlsVariables(NpgsqlConnectionStringBuilder builder)
    {
        var given = builder.Keys.Cast<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("SSL Mode") && Variable("PGSSLMODE") is { } mode)
            builder.SslMode = SslModeNamed(mode) ?? throw Errors.Parameter(ErrorCatalog.InvalidEnvironmentVariable,
                $"environment variable PGSSLMODE must be one of {SslModeNames}");
        if (!given.Contains("Root Certificate") && Variable("PGSSLROOTCERT") is { } root) builder.RootCertificate = root;
        if (!given.Contains("SSL Certificate") && Variable("PGSSLCERT") is { } certificate) builder.SslCertificate = certificate;
        if (!given.Contains("SSL Key") && Variable("PGSSLKEY") is { } key) builder.SslKey = key;

        static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
    }

    /// <summary>libpq's sslmode names, each with Npgsql's mode: read from URLs and PGSSLMODE, written for pg_dump's PGSSLMODE.</summary>
    private static readonly (string Name, SslMode Mode)[] SslModes =
    [
        ("disable", SslMode.Disable), ("allow", SslMode.Allow), ("prefer", SslMode.Prefer),
        ("require", SslMode.Require), ("verify-ca", SslMode.VerifyCA), ("verify-full", SslMode.VerifyFull),
    ];

    private static readonly string SslModeNames = string.Join(", ", SslModes.Select(m => m.Name));

    /// <summary>libpq's name of an sslmode, in any case; null when it names none.</summary>
    private static SslMode? SslModeNamed(string name) =>
        SslModes.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } found ? found.Mode : null;

    /// <summary>libpq's name of Npgsql's sslmode (for the tools SchemaOps starts).</summary>
    internal static string SslModeName(SslMode mode) => SslModes.First(m => m.Mode == mode).Name;

    /// <summary>Said when <see cref="HoldsPassword"/>: the same words in the CLI and the cmdlets.</summary>
    public const string InlinePasswordWarning =
        "the connection text holds a password, which other users of this machine can read (process list, shell history, " +
        "scripts, transcripts); give it through PGPASSWORD, a passfile, a config file or a credential instead";

    /// <summary>Whether connection text given as an argument holds a password (in a URL's user-info or a password parameter).</summary>
    public static bool HoldsPassword(string input)
    {
        if (input.Contains("password=", StringComparison.OrdinalIgnoreCase)) return true;
        var scheme = input.IndexOf("://", StringComparison.Ordinal);
        var at = scheme < 0 ? -1 : input.IndexOf('@', scheme);
        return at > 0 && input[(scheme + 3)..at].Contains(':');
    }

    /// <summary>Parses the input with a user and password that override its own when given; no input is an error (the caller has looked everywhere).</summary>
    public static ConnectionTarget From(string? input, string? user, string? password) =>
        Parse(input, user is null && password is null ? null : new NetworkCredential(user, password), _ => null);

    private static NpgsqlConnectionStringBuilder ParseConnectionString(string input)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(input);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException) // an unknown key with an empty value ("foo=") is the latter
        {
            // The message of the underlying exception may quote the input, password included: don't pass it on.
            throw Errors.Parameter(ErrorCatalog.InvalidConnectionString,
                "the connection string could not be parsed: use key=value pairs (Host=...;Database=...;Username=...) or a postgres:// URL");
        }
    }

    private static NpgsqlConnectionStringBuilder ParseJdbc(string input)
    {
        // jdbc:postgresql://host:port/db?user=...&currentSchema=...  or  jdbc:postgresql:db
        var rest = input["jdbc:".Length..];
        if (!rest.StartsWith("postgresql:", StringComparison.OrdinalIgnoreCase))
            throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, "only jdbc:postgresql: URLs are supported");
        var body = rest["postgresql:".Length..];
        return body.StartsWith("//") ? ParseUrl("postgresql:" + body, jdbc: true) : ParseUrl("postgresql:///" + body, jdbc: true);
    }

    /// <param name="jdbc">A Flyway URL: pgjdbc's own parameters are read too (<see cref="JdbcUrl"/>).</param>
    private static NpgsqlConnectionStringBuilder ParseUrl(string input, bool jdbc = false)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var afterScheme = input[(input.IndexOf("://", StringComparison.Ordinal) + 3)..];
        // An '@' past the host part is almost always a password with an unencoded '/' or '?': the URL would split
        // inside the password, and any error quoting a piece of it would print the secret. Neither is done.
        if (afterScheme.IndexOfAny(['/', '?']) is var end and >= 0 && afterScheme.IndexOf('@', end) >= 0)
            throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl,
                "the URL has an '@' after its host part: credentials holding '/', '?', '#' or '@' must be percent-encoded " +
                "(%2F, %3F, %23, %40), and so must an '@' in the database name or a parameter");
        var queryStart = afterScheme.IndexOf('?');
        var query = queryStart >= 0 ? afterScheme[(queryStart + 1)..] : "";
        var main = queryStart >= 0 ? afterScheme[..queryStart] : afterScheme;

        var slash = main.IndexOf('/');
        var authority = slash >= 0 ? main[..slash] : main;
        var database = slash >= 0 ? main[(slash + 1)..] : "";

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0) builder.Password = Decode(userInfo[(colon + 1)..]);
        }
        if (authority.Length > 0) SetHosts(builder, authority);
        if (database.Length > 0) builder.Database = Decode(database);

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in QueryParameters(query))
        {
            parameters[key] = value;
            if (!(jdbc && JdbcUrl.Apply(builder, key, value))) ApplyUrlParameter(builder, key, value);
        }
        if (jdbc && JdbcUrl.SslModeOf(parameters) is { } sslMode) builder.SslMode = sslMode;
        builder.Host ??= "localhost"; // libpq's default; Npgsql insists on a host
        return builder;
    }

    /// <summary>A URL query's parameters (the part after '?'), decoded, in order; a key without '=' has an empty value.</summary>
    internal static IEnumerable<(string Key, string Value)> QueryParameters(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.IndexOf('=') is var eq and >= 0
            ? (Decode(pair[..eq]), Decode(pair[(eq + 1)..]))
            : (Decode(pair), ""));

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string authority)
    {
        // host[:port][,host[:port]...]; [ipv6]:port. Hosts that share a port: Host=h1,h2 and Port; else each keeps its own.
        var hosts = new List<string>();
        var ports = new List<int?>();
        foreach (var part in authority.Split(','))
        {
            var host = part;
            var portSep = part.StartsWith('[') ? part.IndexOf("]:", StringComparison.Ordinal) + 1 : part.LastIndexOf(':');
            if (portSep > 0)
            {
                host = part[..portSep];
                if (!int.TryParse(part[(portSep + 1)..], out var port) || port is <= 0 or > 65535)
                    // Not quoted: without an '@', "user:password" reads as "host:port".
                    throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl,
                        "the URL's port (after the host's ':') is not a port number; credentials go before the host, ended by '@'");
                ports.Add(port);
            }
            else ports.Add(null);
            hosts.Add(Decode(host.Trim('[', ']')));
        }
        var given = ports.OfType<int>().Distinct().ToList();
        if (given.Count <= 1 && (given.Count == 0 || ports.All(p => p is not null)))
        {
            builder.Host = string.Join(',', hosts);
            if (given.Count == 1) builder.Port = given[0];
        }
        else // a port per host: the connection tries each host at its own (a URL with one port per host, as HA pairs may have)
            builder.Host = string.Join(',', hosts.Zip(ports, (h, p) => p is null ? h : $"{(h.Contains(':') ? $"[{h}]" : h)}:{p}"));
    }

    private static void ApplyUrlParameter(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "sslmode":
                builder.SslMode = SslModeNamed(value) ?? throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, $"sslmode '{value}' is not one of {SslModeNames}");
                break;
            case "search_path":
            case "currentschema":
                builder.SearchPath = value;
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "host":
            case "socket": // dbmate's way to a Unix socket: postgres://user@/db?socket=/var/run/postgresql
                builder.Host = value;
                break;
            case "port":
                builder.Port = int.TryParse(value, out var port) ? port : throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, $"port '{value}' is not a number");
                break;
            case "application_name":
            case "applicationname":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
            case "connecttimeout":
                builder.Timeout = int.TryParse(value, out var seconds) ? seconds : throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, $"connect_timeout '{value}' is not a number");
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "sslpassword": // the client key's passphrase: a secret, kept as the password is
                builder.SslPassword = value;
                break;
            case "options":
                builder.Options = value;
                break;
            case "target_session_attrs": // libpq's, with several hosts (an HA pair): which one to migrate
                var attributes = value.ToLowerInvariant() is var v && v is "any" or "read-write" or "read-only" or "primary" or "standby" or "prefer-standby" ? v
                    : throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, $"target_session_attrs '{value}' is not one of any, read-write, read-only, primary, standby, prefer-standby");
                // It chooses among several hosts; one host is what it is (Npgsql refuses the setting there), as for a JDBC URL's targetServerType.
                if (builder.Host?.Contains(',') == true) builder.TargetSessionAttributes = attributes;
                break;
            case "load_balance_hosts": // libpq 16's
                builder.LoadBalanceHosts = value.ToLowerInvariant() switch
                {
                    "random" => true,
                    "disable" => false,
                    _ => throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, $"load_balance_hosts '{value}' is not one of disable, random"),
                };
                break;
            case var golangMigrate when GolangMigrateUrl.IsParameter(golangMigrate):
                break; // the settings' (ConfigResolver), not the connection's
            default:
                throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl,
                    $"unknown URL parameter '{key}' (known: sslmode, search_path, currentSchema, user, password, host, socket, port, application_name, connect_timeout, sslrootcert, sslcert, sslkey, sslpassword, options, target_session_attrs, load_balance_hosts, and golang-migrate's x-migrations-table, x-statement-timeout...)");
        }
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s);
}
