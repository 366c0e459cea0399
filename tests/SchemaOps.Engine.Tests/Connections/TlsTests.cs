using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using SchemaOps.Engine.Backups;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Ephemeral;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Connections;

[CollectionDefinition(nameof(TlsTests), DisableParallelization = true)] // one test sets libpq's variables for the whole process
public sealed class TlsCollection;

/// <summary>
/// A server that takes TLS connections only, as managed PostgreSQL does: a CA of the test's own, a server certificate
/// for localhost, and a user who logs in with a client certificate. Every connection, the driver's and pg_dump's and
/// pg_restore's, must verify the server and carry the client's certificate as the URL says.
/// </summary>
[Collection(nameof(TlsTests))]
public sealed class TlsTests : IAsyncLifetime, IDisposable
{
    private const string CertificateUser = "deployer";
    private EphemeralPostgres _server = null!;
    private readonly TempDir _dir = new();
    private string CaFile => Path.Combine(_dir.Path, "tls", "ca.crt");
    private string ClientCertificate => Path.Combine(_dir.Path, "tls", "deployer.crt");
    private string ClientKey => Path.Combine(_dir.Path, "tls", "deployer.key");

    public async Task InitializeAsync()
    {
        _server = await EphemeralPostgres.StartAsync();
        var data = Path.Combine(_server.Directory, "data");
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=SchemaOps test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        _dir.Write("tls/ca.crt", ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(data, "ca.crt"), ca.ExportCertificatePem());

        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        Issue(ca, "CN=localhost", names, Path.Combine(data, "server.crt"), Path.Combine(data, "server.key"), now);
        Issue(ca, $"CN={CertificateUser}", null, ClientCertificate, ClientKey, now);
        if (Unix.IsRoot)
        {
            var postgres = Unix.LookupUser(EphemeralPostgres.SuperUser)!.Value;
            foreach (var file in new[] { "ca.crt", "server.crt", "server.key" }) Unix.Chown(Path.Combine(data, file), postgres);
        }

        // TLS only: a certificate login for the deployer, a password over TLS for the rest, nothing unencrypted over TCP.
        var hba = Path.Combine(data, "pg_hba.conf");
        File.WriteAllText(hba, $"hostssl all {CertificateUser} 127.0.0.1/32 cert\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n" + File.ReadAllText(hba));
        await using var admin = AsSuperuser("postgres", SslMode.Disable);
        await admin.OpenAsync();
        foreach (var sql in new[]
                 {
                     "ALTER SYSTEM SET ssl = on", "ALTER SYSTEM SET ssl_ca_file = 'ca.crt'", "SELECT pg_reload_conf()",
                     $"CREATE ROLE {CertificateUser} LOGIN", $"CREATE DATABASE shop OWNER {CertificateUser}",
                 })
        {
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync();
        }
        // The reload is asynchronous: wait until the server answers with TLS.
        for (var i = 0; i < 100 && !await TakesTlsAsync(); i++) await Task.Delay(50);
    }

    private static void Issue(X509Certificate2 ca, string subject, SubjectAlternativeNameBuilder? names, string certificateFile, string keyFile, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (names is not null) request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(ca, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        Directory.CreateDirectory(Path.GetDirectoryName(certificateFile)!);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // libpq refuses a key others can read
    }

    /// <summary>The test's own look at the server, as its superuser (over TLS once the server takes only that).</summary>
    private NpgsqlConnection AsSuperuser(string database, SslMode mode = SslMode.Require) =>
        new(new NpgsqlConnectionStringBuilder(_server.ConnectionString(database)) { SslMode = mode, Pooling = false }.ConnectionString);

    private async Task<bool> TakesTlsAsync()
    {
        try
        {
            await using var c = AsSuperuser("postgres");
            await c.OpenAsync();
            return true;
        }
        catch (NpgsqlException) { return false; }
    }

    public async Task DisposeAsync()
    {
        ConnectionTarget.ClearAllPools();
        await _server.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private string Url(string parameters) =>
        $"postgres://{EphemeralPostgres.SuperUser}:{Uri.EscapeDataString(_server.Password)}@localhost:{_server.Port}/shop?{parameters}";

    private MigrationRequest Request(string url) =>
        new(ConnectionTarget.Parse(url), new MigrationSettings { Locations = [Path.Combine(_dir.Path, "migrations")] });

    [Fact]
    public async Task Migrate_backup_and_test_restore_verify_the_server_with_the_CA_the_URL_names()
    {
        _dir.Write("migrations/V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 25);");
        var request = Request(Url($"sslmode=verify-full&sslrootcert={Uri.EscapeDataString(CaFile)}"));

        await MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None);
        // pg_dump and pg_restore verify the server too: with no ~/.postgresql/root.crt here, libpq's verify-full fails
        // unless the URL's sslrootcert reaches them.
        var path = Path.Combine(_dir.Path, "shop.dump");
        var backup = await BackupOperation.BackupAsync(request, new BackupOptions(path), new RecordingSink(), CancellationToken.None);
        var restored = await BackupTestOperation.TestAsync(request, path, backup.Snapshot, null, new RecordingSink(), CancellationToken.None);

        Assert.Equal("1", backup.MigrationVersion?.Text);
        Assert.True(restored.Passed, string.Join("; ", restored.Differences));
    }

    [Fact]
    public async Task A_client_certificate_login_migrates_and_backs_up_with_the_URL_s_certificate_and_key()
    {
        _dir.Write("migrations/V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);");
        var url = $"postgres://{CertificateUser}@localhost:{_server.Port}/shop?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(CaFile)}" +
                  $"&sslcert={Uri.EscapeDataString(ClientCertificate)}&sslkey={Uri.EscapeDataString(ClientKey)}";
        var request = Request(url);

        var applied = await MigrateOperation.MigrateAsync(request, new RecordingSink(), CancellationToken.None);
        var backup = await BackupOperation.BackupAsync(request, new BackupOptions(Path.Combine(_dir.Path, "shop.dump")), new RecordingSink(), CancellationToken.None);

        Assert.Single(applied);
        Assert.Equal("1", backup.MigrationVersion?.Text);
        await using var c = AsSuperuser("shop");
        await c.OpenAsync();
        await using var owner = new NpgsqlCommand("SELECT installed_by FROM flyway_schema_history WHERE version = '1'", c);
        Assert.Equal(CertificateUser, await owner.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Libpq_s_TLS_variables_are_read_as_psql_and_pg_dump_read_them_when_the_URL_says_nothing()
    {
        _dir.Write("migrations/V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);");
        var url = $"postgres://{CertificateUser}@localhost:{_server.Port}/shop";
        var stranger = StrangerCa();
        // What a CI job for a managed server exports. Before: PGSSLMODE was not read (the connection was made
        // unverified, as "prefer"), and pg_dump saw none of the four (the caller's PG variables are kept from it).
        using (Libpq(("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", stranger), ("PGSSLCERT", ClientCertificate), ("PGSSLKEY", ClientKey)))
        {
            var refused = await Assert.ThrowsAsync<SchemaOpsException>(() => MigrateOperation.MigrateAsync(Request(url), new RecordingSink(), CancellationToken.None));
            Assert.Contains("TLS certificate was not accepted", refused.Message);
        }
        using (Libpq(("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", CaFile), ("PGSSLCERT", ClientCertificate), ("PGSSLKEY", ClientKey)))
        {
            var applied = await MigrateOperation.MigrateAsync(Request(url), new RecordingSink(), CancellationToken.None);
            var backup = await BackupOperation.BackupAsync(Request(url), new BackupOptions(Path.Combine(_dir.Path, "shop.dump")), new RecordingSink(), CancellationToken.None);
            Assert.Single(applied);
            Assert.Equal("1", backup.MigrationVersion?.Text);
        }
        using (Libpq(("PGSSLMODE", "sometimes")))
        {
            var e = Assert.Throws<SchemaOpsException>(() => ConnectionTarget.Parse(url));
            Assert.Equal(ErrorCatalog.InvalidEnvironmentVariable, e.Kind);
            Assert.Contains("PGSSLMODE", e.Message);
        }
    }

    [Fact]
    public async Task A_client_key_with_a_passphrase_reaches_pg_dump_off_its_command_line()
    {
        _dir.Write("migrations/V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);");
        var lockedKey = Path.Combine(_dir.Path, "tls", "locked.key");
        using (var key = RSA.Create(2048))
        {
            key.ImportFromPem(File.ReadAllText(ClientKey));
            File.WriteAllText(lockedKey, key.ExportEncryptedPkcs8PrivateKeyPem("k3y pass:phrase", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000)));
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(lockedKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var url = $"postgres://{CertificateUser}@localhost:{_server.Port}/shop?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(CaFile)}" +
                  $"&sslcert={Uri.EscapeDataString(ClientCertificate)}&sslkey={Uri.EscapeDataString(lockedKey)}&sslpassword={Uri.EscapeDataString("k3y pass:phrase")}";

        await MigrateOperation.MigrateAsync(Request(url), new RecordingSink(), CancellationToken.None);
        // Before: pg_dump had no passphrase and OpenSSL asked for one on the terminal ("Enter PEM pass phrase:"), then failed.
        var backup = await BackupOperation.BackupAsync(Request(url), new BackupOptions(Path.Combine(_dir.Path, "shop.dump")), new RecordingSink(), CancellationToken.None);

        Assert.Equal("1", backup.MigrationVersion?.Text);
        Assert.DoesNotContain("k3y", ConnectionTarget.Parse(url).SplitSecret().ConnectionString);
    }

    /// <summary>Sets libpq's variables in this process until disposed (the collection runs alone).</summary>
    private static IDisposable Libpq(params (string Name, string Value)[] variables)
    {
        foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);
        return new Restore(variables.Select(v => v.Name).ToArray());
    }

    private sealed class Restore(string[] names) : IDisposable
    {
        public void Dispose()
        {
            foreach (var name in names) Environment.SetEnvironmentVariable(name, null);
        }
    }

    private string StrangerCa()
    {
        var path = Path.Combine(_dir.Path, "stranger.crt");
        using var key = RSA.Create(2048);
        using var other = new CertificateRequest("CN=Another CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(path, other.ExportCertificatePem());
        return path;
    }

    [Fact]
    public async Task A_certificate_from_a_CA_not_given_is_refused_with_the_way_out_and_nothing_changes()
    {
        _dir.Write("migrations/V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);");
        var stranger = StrangerCa();

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() =>
            MigrateOperation.MigrateAsync(Request(Url($"sslmode=verify-full&sslrootcert={Uri.EscapeDataString(stranger)}")), new RecordingSink(), CancellationToken.None));

        Assert.Equal(ErrorCatalog.ConnectionFailed, e.Kind);
        Assert.Contains("TLS certificate was not accepted", e.Message);
        Assert.Contains("sslrootcert=FILE", e.Message);
        Assert.DoesNotContain(_server.Password, e.Message);
        await using var c = AsSuperuser("shop");
        await c.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", c);
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Asking_for_TLS_from_a_server_that_offers_none_says_so()
    {
        _dir.Write("migrations/V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY);");
        await using var plain = await EphemeralPostgres.StartAsync();
        var url = $"postgres://{EphemeralPostgres.SuperUser}:{Uri.EscapeDataString(plain.Password)}@127.0.0.1:{plain.Port}/postgres?sslmode=require";

        var e = await Assert.ThrowsAsync<SchemaOpsException>(() =>
            InfoOperation.InfoAsync(Request(url), new RecordingSink(), CancellationToken.None));

        Assert.Equal(ErrorCatalog.ConnectionFailed, e.Kind);
        Assert.Contains("does not offer TLS", e.Message);
        Assert.Contains("pooler or proxy", e.Message);
    }
}
