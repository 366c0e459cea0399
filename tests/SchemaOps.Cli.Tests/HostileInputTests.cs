using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace SchemaOps.Cli.Tests;

/// <summary>
/// Input an attacker or an accident produces: every case is one documented error id and exit code, one line
/// of message with the file or value named (escaped), no stack trace, no secret, and nothing changed.
/// </summary>
[Collection(PostgresCollection.Name)]
public class HostileInputTests(PostgresFixture pg) : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private string _db = "";

    public async Task InitializeAsync() => _db = await pg.Server.CreateDatabaseAsync();
    public Task DisposeAsync() => Task.CompletedTask;
    public void Dispose() => _dir.Dispose();

    private Task<CliProcess.Result> Run(params string[] args) =>
        CliProcess.RunAsync(args, new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_db) });

    /// <summary>The exit code and error id asked for, a message without a stack trace, and no history written.</summary>
    private async Task AssertRefusedAsync(CliProcess.Result r, int exit, string id)
    {
        Assert.True(r.ExitCode == exit, r.ToString());
        Assert.Contains($"[{id}]", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Unhandled exception", r.Stderr);
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('flyway_schema_history')::text"));
    }

    [Fact]
    public async Task A_file_name_holding_a_newline_is_refused_shown_escaped_and_never_reaches_a_plan()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write("V2__b\nDROP TABLE a;\n--.sql", "SELECT 1;");
        var plan = Path.Combine(_dir.Path, "plan.out");

        foreach (var args in new[] { new[] { "migrate", "--path", _dir.Path }, ["migrate", "--path", _dir.Path, "--dry-run", plan], ["info", "--path", _dir.Path] })
        {
            var r = await Run(args);
            await AssertRefusedAsync(r, 2, "ControlCharacterInName");
            Assert.Contains("V2__b\\nDROP TABLE a;\\n--.sql", r.Stderr);
            Assert.Single(r.Stderr.TrimEnd().Split('\n')); // the name's newline did not make a line of its own
        }
        Assert.False(File.Exists(plan));
    }

    [Fact]
    public async Task A_symbolic_link_loop_is_an_error_naming_it_not_an_endless_walk()
    {
        _dir.Write("sub/V1__a.sql", "CREATE TABLE a (id int);");
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "sub", "again"), _dir.Path);

        var r = await Run("info", "--path", _dir.Path);

        await AssertRefusedAsync(r, 2, "MigrationFolderLoop");
        Assert.Contains(Path.Combine(_dir.Path, "sub", "again"), r.Stderr);
    }

    [Fact]
    public async Task A_folder_reached_twice_through_links_is_read_once()
    {
        _dir.Write("real/V1__a.sql", "CREATE TABLE a (id int);");
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "alias"), Path.Combine(_dir.Path, "real"));

        var r = await Run("migrate", "--path", _dir.Path, "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(1, JsonDocument.Parse(r.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_Kubernetes_ConfigMap_mount_applies_each_script_once_and_hidden_folders_are_passed_over_as_Flyway_does()
    {
        // What the kubelet writes for a ConfigMap volume: the files in a timestamped folder, "..data" linked to it,
        // and a link per file beside them (the way Flyway's documented Kubernetes Job mounts its migrations).
        var stamp = "..2026_11_27_06_00_00.123456789";
        _dir.Write($"{stamp}/V1__a.sql", "CREATE TABLE a (id int);");
        _dir.Write($"{stamp}/V2__b.sql", "CREATE TABLE b (id int);");
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "..data"), stamp);
        foreach (var name in new[] { "V1__a.sql", "V2__b.sql" })
            File.CreateSymbolicLink(Path.Combine(_dir.Path, name), Path.Combine("..data", name));
        _dir.Write(".archive/V3__old.sql", "CREATE TABLE old (id int);"); // Flyway never applies a hidden folder's scripts

        var r = await Run("migrate", "--path", _dir.Path, "--json");

        Assert.True(r.ExitCode == 0, r.ToString());
        var applied = JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().Select(m => m.GetProperty("script").GetString()).ToList();
        Assert.Equal(["V1__a.sql", "V2__b.sql"], applied);
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('old')::text"));
        var info = await Run("info", "--path", _dir.Path, "--json");
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Equal(2, JsonDocument.Parse(info.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_dangling_symbolic_link_named_like_a_script_is_an_error_naming_it()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "V2__gone.sql"), Path.Combine(_dir.Path, "nowhere.sql"));

        var r = await Run("migrate", "--path", _dir.Path);

        await AssertRefusedAsync(r, 2, "ScriptUnreadable");
        Assert.Contains("V2__gone.sql", r.Stderr);
    }

    [Fact]
    public async Task A_psql_command_in_a_later_migration_is_refused_before_the_first_is_applied()
    {
        _dir.Write("V1__a.sql", "\\restrict K1\nCREATE TABLE a (id int);\n\\unrestrict K1\n"); // pg_dump's pair: passed over
        _dir.Write("V2__b.sql", "CREATE TABLE b (id int);\n\\connect other\nCREATE TABLE c (id int);\n");

        var r = await Run("migrate", "--path", _dir.Path);

        await AssertRefusedAsync(r, 2, "PsqlMetaCommand");
        Assert.Contains("V2__b.sql:2: \\connect is a psql command, not SQL", r.Stderr);
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('a')::text"));

        File.Delete(Path.Combine(_dir.Path, "V2__b.sql"));
        var ok = await Run("migrate", "--path", _dir.Path);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("a", await pg.ScalarAsync(_db, "SELECT to_regclass('a')::text"));
    }

    [Theory]
    [InlineData("nul")]
    [InlineData("utf16")]
    public async Task A_nul_byte_or_utf16_without_a_bom_is_an_encoding_error_naming_the_file(string kind)
    {
        var bytes = kind == "nul" ? "CREATE TABLE a (id int);\nSELECT 'x\0y';\n"u8.ToArray() : Encoding.Unicode.GetBytes("CREATE TABLE a (id int);\n");
        File.WriteAllBytes(Path.Combine(_dir.Path, "V1__a.sql"), bytes);

        var r = await Run("migrate", "--path", _dir.Path);

        await AssertRefusedAsync(r, 2, "InvalidScriptEncoding");
        Assert.Contains($"V1__a.sql:{(kind == "nul" ? 2 : 1)}: the file holds a NUL character", r.Stderr);
    }

    [Fact]
    public async Task New_with_a_description_too_long_for_a_file_name_is_refused_and_creates_nothing()
    {
        var r = await CliProcess.RunAsync(["new", new string('x', 300), "--path", _dir.Path]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("[InvalidDescription]", r.Stderr);
        Assert.Contains("file systems allow 255", r.Stderr);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task A_history_row_whose_version_is_not_a_version_is_named_not_a_crash()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path)).ExitCode);
        await pg.ScalarAsync(_db, "INSERT INTO flyway_schema_history VALUES (2, 'abc', 'bad', 'SQL', 'V_abc__bad.sql', 1, 'x', now(), 1, true)");

        foreach (var command in new[] { "info", "validate", "migrate", "undo", "repair" })
        {
            var r = await Run(command, "--path", _dir.Path);
            Assert.True(r.ExitCode == 3, r.ToString());
            Assert.Contains("[InvalidHistoryRow]", r.Stderr);
            Assert.Contains("installed_rank 2 has version 'abc'", r.Stderr);
        }
        Assert.Equal(2L, await pg.ScalarAsync(_db, "SELECT count(*) FROM flyway_schema_history"));
    }

    [Theory]
    [InlineData("--table")]
    [InlineData("--schema")]
    public async Task A_name_over_postgres_63_bytes_is_refused_before_connecting(string option)
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var name = new string('h', 64);

        var r = await Run("migrate", "--path", _dir.Path, option, name);

        await AssertRefusedAsync(r, 2, "InvalidIdentifier");
        Assert.Contains("64 bytes long", r.Stderr);
        Assert.Null(await pg.ScalarAsync(_db, "SELECT to_regclass('a')::text"));
    }

    [Theory]
    [InlineData("postgres://ops:Sup3r/s3cret@db.example.com/app", "Sup3r", "s3cret")]
    [InlineData("postgres://ops:Sup3r?s3cret@db.example.com/app", "Sup3r", "s3cret")]
    [InlineData("postgres://ops:Sup3r/s3cret/db.example.com", "Sup3r", "s3cret")]
    public async Task A_password_with_an_unencoded_slash_or_question_mark_is_never_quoted(string url, string piece1, string piece2)
    {
        var r = await CliProcess.RunAsync(["info", "--path", _dir.Path], new Dictionary<string, string?> { ["DATABASE_URL"] = url });

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("[InvalidConnectionUrl]", r.Stderr);
        Assert.DoesNotContain(piece1, r.Stderr + r.Stdout);
        Assert.DoesNotContain(piece2, r.Stderr + r.Stdout);
    }

    [Fact]
    public async Task Plans_snapshots_and_reports_are_written_owner_only()
    {
        _dir.Write("V1__a.sql", "CREATE TABLE a (id int);");
        var plan = Path.Combine(_dir.Path, "plan.out");
        var snapshot = Path.Combine(_dir.Path, "snap.json");
        var report = Path.Combine(_dir.Path, "report.md");

        Assert.Equal(0, (await Run("migrate", "--path", _dir.Path, "--dry-run", plan)).ExitCode);
        Assert.Equal(0, (await Run("snapshot", "--out", snapshot)).ExitCode);
        var results = _dir.Write("results.json", (await Run("info", "--path", _dir.Path, "--json")).Stdout);
        Assert.Equal(0, (await Run("report", "--out", report, results)).ExitCode);

        foreach (var file in new[] { plan, snapshot, report })
            if (!OperatingSystem.IsWindows()) // where the profile folder's ACLs keep them
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    private static Gen<T[]> Between<T>(Gen<T> item, int min, int max) => from n in Gen.Choose(min, max) from items in Gen.ArrayOf(item, n) select items;

    /// <summary>Names a file system takes (no '/', no NUL, not . or .., at most 255 bytes) built from what steers the name parsers.</summary>
    private static readonly Gen<string> FileName =
        Between(Gen.Elements("V", "U", "R", "1", "2.1", "_", "__", ".", "x", " ", "é", "\n", "\t", "\u0085", ".sql", ".up.sql", ".down.sql", ".sql.conf", "20240101000000_"), 1, 12)
            .Select(p => string.Concat(p))
            .Where(n => n is not ("." or "..") && Encoding.UTF8.GetByteCount(n) <= 255);

    private static readonly Gen<string> Content =
        Between(Gen.Elements("CREATE TABLE t (id int);", "BEGIN;", "ROLLBACK;", "'", "$$", "--", "/*", "\n", "-- migrate:up", "-- migrate:down",
            "executeInTransaction=false", "COPY t FROM stdin;\n", "\\.\n", "\u0000", "é", "SELECT 1;"), 0, 10).Select(p => string.Concat(p));

    private static readonly Gen<string> ConfigText =
        Between(Gen.Elements("{", "}", "\"", ":", ",", "\"environments\"", "\"prod\"", "\"production\"", "false", "\"url\"", "\"locations\"", "[", "]", "\n", "x"), 0, 15)
            .Select(p => string.Concat(p));

    /// <summary>
    /// Generated migration folders and config files, run through the shipped CLI: every outcome is a documented
    /// exit code with one error line, never a crash or a stack trace.
    /// </summary>
    [Fact]
    public void Generated_folders_and_configs_only_ever_give_documented_exit_codes()
    {
        var files = Between(Gen.Zip(FileName, Content), 1, 3);
        Prop.ForAll(files.ToArbitrary(), ConfigText.ToArbitrary(), (generated, config) =>
        {
            using var dir = new TempDir();
            foreach (var (name, text) in generated) File.WriteAllText(Path.Combine(dir.Path, name), text);
            var configPath = Path.Combine(Path.GetTempPath(), $"schemaops-prop-{Guid.NewGuid():N}.json");
            File.WriteAllText(configPath, config.Length == 0 ? "{}" : config);
            try
            {
                var env = new Dictionary<string, string?> { ["DATABASE_URL"] = pg.Server.Url(_db), ["SCHEMAOPS_CONFIG"] = configPath };
                foreach (var command in new[] { "info", "lint" })
                {
                    var r = CliProcess.RunAsync([command, "--path", dir.Path], env).GetAwaiter().GetResult();
                    Assert.True(r.ExitCode is 0 or 1 or 2 or 3, $"{command}: {r}");
                    Assert.DoesNotContain("   at ", r.Stderr);
                    Assert.DoesNotContain("InternalError", r.Stderr);
                }
            }
            finally
            {
                File.Delete(configPath);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }
}
