using Npgsql;

namespace SchemaOps.Engine.Connections;

/// <summary>
/// The PostgreSQL JDBC driver's own parameters in a Flyway URL (jdbc:postgresql://...?ssl=true&amp;prepareThreshold=0).
/// A team's flyway.url keeps them while Flyway and SchemaOps both run on its database, so the URL is accepted as it is:
/// those that say where and how to connect are honoured (ssl, sslfactory, loginTimeout, targetServerType,
/// loadBalanceHosts, sslpassword); those that tune pgjdbc itself (statement preparing, fetch sizes, its logging,
/// client-side timeouts SchemaOps does not keep) are passed over.
/// </summary>
internal static class JdbcUrl
{
    private static readonly HashSet<string> DriverTuning = new(StringComparer.OrdinalIgnoreCase)
    {
        "prepareThreshold", "preparedStatementCacheQueries", "preparedStatementCacheSizeMiB", "defaultRowFetchSize", "socketTimeout",
        "cancelSignalTimeout", "reWriteBatchedInserts", "stringtype", "binaryTransfer", "binaryTransferEnable", "binaryTransferDisable",
        "assumeMinServerVersion", "loggerLevel", "loggerFile", "logUnclosedConnections", "logServerErrorDetail", "autosave",
        "cleanupSavepoints", "readOnlyMode", "hostRecheckSeconds", "tcpKeepAlive", "tcpNoDelay", "receiveBufferSize", "sendBufferSize",
        "disableColumnSanitiser", "allowEncodingChanges", "escapeSyntaxCallMode", "quoteReturningIdentifiers", "unknownLength",
        "adaptiveFetch", "adaptiveFetchMinimum", "adaptiveFetchMaximum", "maxResultBuffer", "groupStartupParameters",
        "databaseMetadataCacheFields", "databaseMetadataCacheFieldsMiB", "sslhostnameverifier", "sslfactoryarg", "sslpasswordcallback",
    };

    /// <summary>Applies a pgjdbc parameter; false when the key is not one of pgjdbc's.</summary>
    public static bool Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "logintimeout":
                builder.Timeout = int.TryParse(value, out var seconds) ? seconds : throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, $"loginTimeout '{value}' is not a number of seconds");
                return true;
            case "targetservertype":
                var attributes = value.ToLowerInvariant() switch
                {
                    "any" => "any",
                    "primary" or "master" => "primary",
                    "secondary" or "slave" => "standby",
                    "prefersecondary" or "preferslave" => "prefer-standby",
                    "preferprimary" => "prefer-primary",
                    _ => throw Errors.Parameter(ErrorCatalog.InvalidConnectionUrl, $"targetServerType '{value}' is not one of any, primary, secondary, preferSecondary, preferPrimary"),
                };
                // It chooses among several hosts; one host is what it is (Npgsql refuses the setting there).
                if (builder.Host?.Contains(',') == true) builder.TargetSessionAttributes = attributes;
                return true;
            case "loadbalancehosts":
                builder.LoadBalanceHosts = value.Equals("true", StringComparison.OrdinalIgnoreCase);
                return true;
            case "sslpassword":
                builder.SslPassword = value;
                return true;
            case "ssl":
            case "sslfactory":
                return true; // SslModeOf, once every parameter is read: an sslmode given anywhere in the URL wins
            default:
                return DriverTuning.Contains(key);
        }
    }

    /// <summary>
    /// The SSL mode pgjdbc takes when the URL gives no sslmode: ssl=true verifies the server fully, unless sslfactory
    /// is pgjdbc's NonValidatingFactory (encrypted, not verified); null: nothing said.
    /// </summary>
    public static SslMode? SslModeOf(IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.ContainsKey("sslmode")) return null;
        if (parameters.TryGetValue("sslfactory", out var factory) && factory.EndsWith("NonValidatingFactory", StringComparison.Ordinal)) return SslMode.Require;
        return parameters.TryGetValue("ssl", out var ssl) && !ssl.Equals("false", StringComparison.OrdinalIgnoreCase) ? SslMode.VerifyFull : null;
    }
}
