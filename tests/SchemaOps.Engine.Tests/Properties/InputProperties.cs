using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SchemaOps.Engine.Configuration;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.Lint;
using SchemaOps.Engine.Sources;
using SchemaOps.Engine.Sql;

namespace SchemaOps.Engine.Tests.Properties;

/// <summary>
/// Generated input never crashes the readers of what users write: the SQL lexer and splitter, the linter, the
/// transaction decision, the migration name parser, versions, the three config formats, .sql.conf files,
/// dbmate sections and connection strings. Each either works or fails with a SchemaOpsException (a documented
/// error id, which the CLI maps to a documented exit code); anything else is a defect.
/// </summary>
public class InputProperties : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>Text made of the pieces that steer a SQL lexer: quotes, dollar tags, comment marks, COPY blocks, control characters.</summary>
    private static readonly Gen<string> SqlText =
        Gen.ArrayOf(Gen.Elements(
                "'", "\"", "$$", "$a$", "--", "/*", "*/", ";", "\n", "\r\n", "\r", "(", ")", "\\", "\\.\n", "E'", "U&'", " ", "\t", "\0", "\u0085",
                "BEGIN", "COMMIT", "ROLLBACK", "END", "SAVEPOINT s", "CREATE FUNCTION f() BEGIN ATOMIC", "CASE", "COPY t FROM stdin;\n", "COPY t TO stdout",
                "CREATE INDEX CONCURRENTLY i ON t (a)", "SELECT 1", "ALTER TABLE t ADD COLUMN c int", "x", "é", "✓", "\uFEFF"))
            .Select(pieces => string.Concat(pieces));

    /// <summary>Any text at all, including unpaired surrogates and NUL.</summary>
    private static readonly Gen<string> AnyText =
        Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c)).Select(chars => new string(chars));

    private static readonly Gen<string> Text = Gen.OneOf(SqlText, AnyText);

    private static void OnlyDocumentedFailures(Action action, params string[] ids)
    {
        try
        {
            action();
        }
        catch (SchemaOpsException e)
        {
            Assert.True(ids.Length == 0 || ids.Contains(e.ErrorId), $"{e.ErrorId}: {e.Message}");
            var first = e.Message.Split(":\n")[0]; // the message's own line holds no raw line break from the input
            Assert.False(first.Contains('\n'), first);
        }
    }

    [Fact]
    public void The_splitter_splits_or_names_an_unterminated_construct_and_statements_are_pieces_of_the_text_in_order()
    {
        Prop.ForAll(Text.ToArbitrary(), text => OnlyDocumentedFailures(() =>
        {
            var statements = SqlSplitter.Split(text, "f.sql", 3);
            var previous = -1;
            foreach (var s in statements)
            {
                Assert.True(s.Offset > previous && s.Line >= 3);
                Assert.Equal(s.Text, text.Substring(s.Offset, s.Text.Length));
                previous = s.Offset;
            }
        }, "UnterminatedSql", "PsqlMetaCommand")).Check(Many);
    }

    [Fact]
    public void The_linter_and_the_transaction_decision_never_crash()
    {
        Prop.ForAll(Text.ToArbitrary(), text =>
        {
            Linter.LintText(text, "V1__x.sql", new LintOptions()); // syntax errors are findings, never exceptions
            var script = new MigrationScript(MigrationKind.Versioned, MigrationVersion.Parse("1"), "x", "V1__x.sql", "/V1__x.sql", text, 0, ScriptConfig.Default);
            OnlyDocumentedFailures(() => PreparedScript.Prepare(script, 150000, mixed: false),
                "UnterminatedSql", "PsqlMetaCommand", "UnclosedTransaction", "TransactionControlInScript", "StatementNeedsNoTransaction", "MixedTransactionMode");
        }).Check(Many);
    }

    /// <summary>File names near the Flyway pattern: prefixes, separators, versions, suffixes, and anything.</summary>
    private static readonly Gen<string> FileName = Gen.OneOf(
        Gen.ArrayOf(Gen.Elements("V", "U", "R", "B", "1", "1.2", "_", "__", ".", "..", "-", "x", " ", "sql", ".sql", ".SQL", ".conf", "é", "\n", "\0", "00", "999999999999999999999"))
            .Select(p => string.Concat(p)),
        AnyText);

    [Fact]
    public void Migration_names_and_versions_parse_or_are_refused_with_an_id()
    {
        Prop.ForAll(FileName.ToArbitrary(), name =>
        {
            OnlyDocumentedFailures(() => FlywayLayout.ParseName(name, name, new ScanOptions()));
            OnlyDocumentedFailures(() => FlywayLayout.ParseName(name, name, new ScanOptions(LenientNaming: true)));
            MigrationVersion.TryParse(name, out _, out _);
            OnlyDocumentedFailures(() => MigrationVersion.Parse(name), "InvalidVersion");
        }).Check(Many);
    }

    /// <summary>Config text: the characters JSON, TOML and properties files are made of, arranged at random.</summary>
    private static readonly Gen<string> ConfigText = Gen.OneOf(
        Gen.ArrayOf(Gen.Elements("{", "}", "[", "]", "\"", "'", ":", "=", ",", "\n", "#", "//", "/*", "*/", " ", "url", "locations", "environments", "production",
                "prod", "flyway", "true", "false", "1.5", "-", "${env.X}", "${X}", "\\", "\\u00", "[environments.prod]", "[flyway]", "flyway.url=", "x", "\0"))
            .Select(p => string.Concat(p)),
        AnyText);

    [Fact]
    public void Config_files_of_every_format_load_or_are_refused_with_an_id()
    {
        var names = new[] { "schemaops.json", "flyway.toml", "flyway.conf", "V1__x.sql.conf" };
        Prop.ForAll(ConfigText.ToArbitrary(), Gen.Elements(names).ToArbitrary(), (text, name) =>
        {
            var path = Path.Combine(_dir.Path, name);
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text)); // an unpaired surrogate becomes U+FFFD, as an editor would save it
            if (name.EndsWith(".sql.conf")) OnlyDocumentedFailures(() => ScriptConfig.Load(path, name));
            else OnlyDocumentedFailures(() => ConfigFile.Load(path, _ => { }));
        }).Check(Many);
    }

    [Fact]
    public void Dbmate_files_yield_their_sections_or_are_refused_with_an_id()
    {
        var gen = Gen.ArrayOf(Gen.Elements("-- migrate:up", "-- migrate:down", " transaction:false", " transaction:maybe", "\n", "SELECT 1;", "'", "--", "x")).Select(p => string.Concat(p));
        Prop.ForAll(Gen.OneOf(gen, AnyText).ToArbitrary(), text =>
        {
            var path = Path.Combine(_dir.Path, "20240101000000_x.sql");
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
            OnlyDocumentedFailures(() => DbmateLayout.Read(path, "20240101000000_x.sql", MigrationVersion.Parse("20240101000000"), "x").ToList());
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void Connection_strings_parse_or_are_refused_with_an_id_and_a_password_is_never_quoted()
    {
        // The password is made of Q, Z and the characters that split URLs; nothing else in the input holds a Q or a Z.
        var password = Gen.ArrayOf(Gen.Elements("Q", "Z", "/", "?", "@", ":", "#", "%", "&", "=")).Where(p => p.Contains("Q") || p.Contains("Z")).Select(p => string.Concat(p));
        var rest = Gen.ArrayOf(Gen.Elements("host", ":", "5432", "/", "db", "?", "sslmode=", "require", "&", "=", "x", "@", ",", "[", "]", "%2F", "%")).Select(p => string.Concat(p));
        var scheme = Gen.Elements("postgres://", "postgresql://", "jdbc:postgresql://");
        Prop.ForAll(scheme.ToArbitrary(), password.ToArbitrary(), rest.ToArbitrary(), (s, pw, r) =>
        {
            try
            {
                ConnectionTarget.Parse($"{s}user:{pw}@{r}", environment: _ => null);
            }
            catch (SchemaOpsException e)
            {
                Assert.DoesNotContain('Q', e.Message);
                Assert.DoesNotContain('Z', e.Message);
            }
        }).Check(Many);
        Prop.ForAll(AnyText.ToArbitrary(), text => OnlyDocumentedFailures(() => ConnectionTarget.Parse(text, environment: _ => null))).Check(Many);
    }
}
