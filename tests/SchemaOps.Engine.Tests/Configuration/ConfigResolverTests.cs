using SchemaOps.Engine.Configuration;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Configuration;

/// <summary>Precedence (parameter > environment variable > config environment > config common > default), the three file formats, and production.</summary>
public class ConfigResolverTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<string> _warnings = [];

    public void Dispose() => _dir.Dispose();

    private MigrationRequest Resolve(ConfigValues? parameters = null, Dictionary<string, string>? variables = null, string? configPath = null) =>
        ConfigResolver.Resolve(new ConfigRequest
        {
            Parameters = parameters ?? ConfigValues.None,
            ConfigPath = configPath,
            WorkingDirectory = _dir.Path,
            Variables = new EnvironmentVariables(variables ?? []),
        }, _warnings.Add);

    private const string Json = """
        {
          // comments are allowed
          "locations": ["db/common"],
          "table": "common_history",
          "lockTimeout": "3s",
          "placeholders": { "owner": "common_owner", "region": "common_region" },
          "environment": "dev",
          "environments": {
            "dev": { "url": "postgres://dev@devhost/app", "table": "dev_history", "placeholders": { "owner": "dev_owner" } },
            "live": { "url": "postgres://ops:s3cret-from-file@livehost/app", "production": true, "lockTimeout": 0.5, "lockRetryCount": 3 },
            "production": { "url": "postgres://ops@prodhost/app" },
          },
        }
        """;

    [Fact]
    public void A_parameter_beats_an_environment_variable_which_beats_the_config_environment_which_beats_the_common_part()
    {
        _dir.Write("schemaops.json", Json);

        var fromFile = Resolve();
        Assert.Equal("dev_history", fromFile.Settings.Table);                  // environment over common
        Assert.Equal(TimeSpan.FromSeconds(3), fromFile.Settings.LockTimeout);   // common over default
        Assert.Equal([Path.Combine(_dir.Path, "db", "common")], fromFile.Settings.Locations); // relative to the file
        Assert.Equal("devhost", Host(fromFile));

        var variables = new Dictionary<string, string> { ["FLYWAY_TABLE"] = "env_history", ["DATABASE_URL"] = "postgres://u@envhost/app" };
        var fromVariables = Resolve(variables: variables);
        Assert.Equal("env_history", fromVariables.Settings.Table);
        Assert.Equal("envhost", Host(fromVariables));
        Assert.Contains(_warnings, w => w.Contains("instead of environment 'dev'")); // a variable silently overriding a chosen environment's database would be a surprise

        var fromParameters = Resolve(new ConfigValues { Table = "param_history", Url = "postgres://u@paramhost/app" }, variables);
        Assert.Equal("param_history", fromParameters.Settings.Table);
        Assert.Equal("paramhost", Host(fromParameters));

        var nothingSaid = Resolve(new ConfigValues { Url = "postgres://u@h/d" }, configPath: _dir.Write("empty.json", "{}"));
        Assert.Equal([Path.Combine(_dir.Path, MigrationSettings.DefaultLocation)], nothingSaid.Settings.Locations); // the default, from the working directory
    }

    [Fact]
    public void The_lint_gate_is_set_like_any_other_setting_and_brings_the_teams_rules_file()
    {
        _dir.Write("schemaops.json", """{ "lintLevel": "warning", "environments": { "ci": { "url": "postgres://u@h/d", "lintLevel": "error" } } }""");
        _dir.Write("schemaops-lint.json", """{ "rules": { "ban-char-field": "error" } }""");
        Assert.Equal(LintSeverity.Warning, Resolve(new ConfigValues { Url = "postgres://u@h/d" }).Settings.LintLevel);
        var ci = Resolve(new ConfigValues { Environment = "ci" });
        Assert.Equal(LintSeverity.Error, ci.Settings.LintLevel);
        Assert.Equal(LintSeverity.Error, Assert.Single(ci.Settings.LintRules.Apply([new LintFinding { RuleId = "ban-char-field", Severity = LintSeverity.Info, File = "f", Message = "m" }])).Severity);
        Assert.Equal(LintSeverity.Info, Resolve(new ConfigValues { Environment = "ci", LintLevel = LintSeverity.Info }).Settings.LintLevel);
        Assert.Equal(LintSeverity.Warning, Resolve(new ConfigValues { Environment = "ci" }, new() { ["SCHEMAOPS_LINT_LEVEL"] = "Warning" }).Settings.LintLevel);
    }

    [Fact]
    public void The_rehearsals_slow_threshold_is_set_like_any_other_setting_and_a_bad_one_is_refused()
    {
        _dir.Write("schemaops.json", """{ "slowThreshold": "10s", "environments": { "ci": { "url": "postgres://u@h/d", "slowThreshold": "2m" } } }""");
        Assert.Equal(TimeSpan.FromSeconds(10), Resolve(new ConfigValues { Url = "postgres://u@h/d" }).Settings.SlowThreshold);
        Assert.Equal(TimeSpan.FromMinutes(2), Resolve(new ConfigValues { Environment = "ci" }).Settings.SlowThreshold);
        Assert.Equal(TimeSpan.FromMilliseconds(500), Resolve(new ConfigValues { Environment = "ci" }, new() { ["SCHEMAOPS_SLOW_THRESHOLD"] = "500ms" }).Settings.SlowThreshold);

        var e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Environment = "ci" }, new() { ["SCHEMAOPS_SLOW_THRESHOLD"] = "soon" }));
        Assert.Contains("SCHEMAOPS_SLOW_THRESHOLD", e.Message);
        _dir.Write("schemaops.json", "{ \"url\": \"postgres://u@h/d\",\n  \"slowThreshold\": \"later\" }");
        var bad = Assert.Throws<SchemaOpsException>(() => Resolve());
        Assert.Equal(2, bad.Line);
        Assert.Contains("slowThreshold", bad.Message);
    }

    [Fact]
    public void Placeholders_merge_name_by_name_across_layers()
    {
        _dir.Write("schemaops.json", Json);
        var request = Resolve(new ConfigValues { Placeholders = new Dictionary<string, string> { ["extra"] = "param" } },
            new Dictionary<string, string> { ["FLYWAY_PLACEHOLDERS_REGION"] = "env_region" });
        var p = request.Settings.Placeholders;
        Assert.Equal("dev_owner", p["owner"]);     // environment over common
        Assert.Equal("env_region", p["region"]);   // variable over common
        Assert.Equal("param", p["extra"]);
    }

    [Fact]
    public void The_chosen_environment_comes_from_the_parameter_then_SCHEMAOPS_ENVIRONMENT_then_the_files_default()
    {
        _dir.Write("schemaops.json", Json);
        Assert.Equal("dev", Resolve().Settings.Environment);
        Assert.Equal("live", Resolve(variables: new() { ["SCHEMAOPS_ENVIRONMENT"] = "live" }).Settings.Environment);
        Assert.Equal("production", Resolve(new ConfigValues { Environment = "production" }, new() { ["SCHEMAOPS_ENVIRONMENT"] = "live" }).Settings.Environment);

        var e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Environment = "stagign" }));
        Assert.Equal("UnknownEnvironment", e.ErrorId);
        Assert.Contains("dev, live, production", e.Message);
    }

    [Fact]
    public void Production_is_a_name_or_a_marker_and_the_environments_safety_settings_apply()
    {
        _dir.Write("schemaops.json", Json);
        Assert.False(Resolve().Settings.Production);
        Assert.True(Resolve(new ConfigValues { Environment = "production" }).Settings.Production);
        var live = Resolve(new ConfigValues { Environment = "live" }).Settings;
        Assert.True(live.Production);
        Assert.Equal(TimeSpan.FromMilliseconds(500), live.LockTimeout);
        Assert.Equal(3, live.LockRetryCount);
        // Without any config file the name alone says production.
        Assert.True(ConfigResolver.Resolve(new ConfigRequest { Parameters = new ConfigValues { Environment = "prod", Url = "postgres://u@h/d" }, WorkingDirectory = Path.GetTempPath(), Variables = EnvironmentVariables.Empty }).Settings.Production);
    }

    [Theory]
    [InlineData("schemaops.json", "{\n  \"environments\": {\n    \"prod\": {\n      \"url\": \"postgres://u@h/d\",\n      \"production\": false\n    }\n  }\n}\n", 5)]
    [InlineData("schemaops.json", "{\n  \"environments\": {\n    \"Production\": { \"url\": \"postgres://u@h/d\", \"production\": \"${env.PROD}\" }\n  }\n}\n", 3)]
    [InlineData("flyway.toml", "[environments.production]\nurl = \"jdbc:postgresql://h/d\"\nproduction = false\n", 3)]
    public void A_production_environment_switched_off_in_the_file_is_refused_naming_file_line_and_key(string name, string text, int line)
    {
        _dir.Write(name, text);

        var e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Environment = "dev", Url = "postgres://u@h/d" }));

        Assert.Equal("ProductionSwitchedOff", e.ErrorId);
        Assert.Contains($"{name}:{line}: 'production'", e.Message);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void A_top_level_production_false_cannot_switch_off_a_production_named_environment()
    {
        _dir.Write("flyway.conf", "flyway.url=jdbc:postgresql://h/d\nflyway.production=false\n");

        Assert.False(Resolve(new ConfigValues { Environment = "staging" }).Settings.Production); // any other name: the file decides
        var e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Environment = "prod" }));
        Assert.Equal("ProductionSwitchedOff", e.ErrorId);
        Assert.Contains("flyway.conf:2:", e.Message);
    }

    [Fact]
    public void The_password_travels_with_the_url_it_was_written_with()
    {
        _dir.Write("schemaops.json", Json);
        var live = Resolve(new ConfigValues { Environment = "live" });
        Assert.Equal("s3cret-from-file", live.Target.SplitSecret().Password);

        // A database named on the command line does not get the config file's password for another server.
        var elsewhere = Resolve(new ConfigValues { Environment = "live", Url = "postgres://ops@otherhost/app" });
        Assert.Null(elsewhere.Target.SplitSecret().Password);

        // A password from a higher layer (FLYWAY_PASSWORD) does apply to the config's url.
        var fromVariable = Resolve(new ConfigValues { Environment = "production" }, new() { ["FLYWAY_PASSWORD"] = "from-variable" });
        Assert.Equal("from-variable", fromVariable.Target.SplitSecret().Password);
        Assert.DoesNotContain("s3cret", live.Target.Display);
    }

    [Fact]
    public void Dbmate_variables_name_the_database_the_folder_and_the_table()
    {
        var request = Resolve(variables: new()
        {
            ["DATABASE_URL"] = "postgres://app@dbmatehost/app?sslmode=disable",
            ["DBMATE_MIGRATIONS_DIR"] = "./db/migrations",
            ["DBMATE_MIGRATIONS_TABLE"] = "dbmate_versions",
        });
        Assert.Equal("dbmatehost", Host(request));
        Assert.Equal([Path.Combine(_dir.Path, "db", "migrations")], request.Settings.Locations);
        Assert.Equal("dbmate_versions", request.Settings.Table);
    }

    [Fact]
    public void A_flyway_conf_is_read_with_its_keys_placeholders_and_environment_references()
    {
        _dir.Write("flyway.conf", """
            # Flyway 9 style
            flyway.url=jdbc:postgresql://confhost:5433/app
            flyway.user=app
            flyway.password=${DB_PASSWORD}
            flyway.locations=filesystem:sql,filesystem:more
            flyway.schemas=app,audit
            flyway.defaultSchema=audit
            flyway.table=conf_history
            flyway.placeholders.tenant=acme
            flyway.cleanDisabled=false
            flyway.outOfOrder=true
            flyway.connectRetries=3
            flyway.mixed=true
            """);
        var request = Resolve(variables: new() { ["DB_PASSWORD"] = "pw-from-env" });
        Assert.Equal("confhost", Host(request));
        Assert.Equal("pw-from-env", request.Target.SplitSecret().Password);
        Assert.Equal([Path.Combine(_dir.Path, "sql"), Path.Combine(_dir.Path, "more")], request.Settings.Locations);
        Assert.Equal(["audit", "app"], request.Settings.Schemas); // defaultSchema first: it holds the history table
        Assert.Equal("conf_history", request.Settings.Table);
        Assert.Equal("acme", request.Settings.Placeholders["tenant"]);
        Assert.True(request.Settings.CleanEnabled);
        Assert.True(request.Settings.OutOfOrder);
        Assert.True(request.Settings.Mixed);
        Assert.Empty(_warnings);
        Assert.DoesNotContain(_warnings, w => w.Contains("connectRetries")); // known to be irrelevant: no noise

        var missing = Assert.Throws<SchemaOpsException>(() => Resolve());
        Assert.Equal("ConfigVariableNotSet", missing.ErrorId);
        Assert.Contains("flyway.conf:4", missing.Message);
        Assert.Contains("DB_PASSWORD", missing.Message);
    }

    [Fact]
    public void Flyways_settings_that_decide_what_is_applied_are_honoured_from_the_file_and_from_FLYWAY_variables()
    {
        // Skipped with a warning before: a team pinning target=2 had every pending migration applied.
        _dir.Write("flyway.conf", """
            flyway.url=jdbc:postgresql://confhost/app
            flyway.target=2
            flyway.ignoreMigrationPatterns=*:missing,repeatable:pending
            flyway.validateMigrationNaming=false
            flyway.createSchemas=false
            flyway.baselineDescription=taken over
            flyway.sqlMigrationPrefix=V
            flyway.encoding=utf-8
            """);
        var request = Resolve();
        Assert.Equal("2", request.Settings.Target);
        Assert.Equal(["*:missing", "repeatable:pending"], request.Settings.IgnoreMigrationPatterns);
        Assert.True(request.Settings.LenientNaming);
        Assert.False(request.Settings.CreateSchemas);
        Assert.Equal("taken over", request.Settings.BaselineDescription);
        Assert.Empty(_warnings); // Flyway's own default prefix and encoding are what SchemaOps does: no noise

        // A CI job's FLYWAY_ variables, named as Flyway names them, beat the file; a parameter beats them.
        var variables = new Dictionary<string, string>
        {
            ["FLYWAY_TARGET"] = "3", ["FLYWAY_OUT_OF_ORDER"] = "true", ["FLYWAY_BASELINE_ON_MIGRATE"] = "true", ["FLYWAY_BASELINE_VERSION"] = "0.5",
            ["FLYWAY_VALIDATE_ON_MIGRATE"] = "false", ["FLYWAY_IGNORE_MIGRATION_PATTERNS"] = "*:future", ["FLYWAY_VALIDATE_MIGRATION_NAMING"] = "true",
            ["FLYWAY_GROUP"] = "true", ["FLYWAY_INSTALLED_BY"] = "ci", ["FLYWAY_PLACEHOLDER_REPLACEMENT"] = "false",
        };
        var s = Resolve(variables: variables).Settings;
        Assert.Equal(("3", true, true, "0.5", false), (s.Target, s.OutOfOrder, s.BaselineOnMigrate, s.BaselineVersion, s.ValidateOnMigrate));
        Assert.Equal(["*:future"], s.IgnoreMigrationPatterns);
        Assert.Equal((false, true, "ci", false), (s.LenientNaming, s.Group, s.InstalledBy, s.PlaceholderReplacement));
        Assert.Equal("4", Resolve(new ConfigValues { Target = "4" }, variables).Settings.Target);
        Assert.False(Resolve(variables: new() { ["DBMATE_STRICT"] = "true" }).Settings.OutOfOrder); // dbmate's --strict
        Assert.Null(Resolve().Settings.OutOfOrder); // unsaid: the layout's own tool decides

        var bad = Assert.Throws<SchemaOpsException>(() => Resolve(variables: new() { ["FLYWAY_OUT_OF_ORDER"] = "yes" }));
        Assert.Equal("InvalidEnvironmentVariable", bad.ErrorId);
        Assert.Contains("environment variable FLYWAY_OUT_OF_ORDER: 'outOfOrder' must be true or false", bad.Message);
        // A bad version or pattern is named where it is written, not only when a command gets to use it.
        bad = Assert.Throws<SchemaOpsException>(() => Resolve(variables: new() { ["FLYWAY_TARGET"] = "v2" }));
        Assert.Contains("environment variable FLYWAY_TARGET: 'target' must be a version", bad.Message);
        _dir.Write("flyway.conf", "flyway.url=jdbc:postgresql://confhost/app\nflyway.baselineVersion=1.x\nflyway.ignoreMigrationPatterns=*:missing,*:gone\n");
        bad = Assert.Throws<SchemaOpsException>(() => Resolve());
        Assert.Equal(("InvalidConfigValue", 2), (bad.ErrorId, bad.Line));
        _dir.Write("flyway.conf", "flyway.url=jdbc:postgresql://confhost/app\nflyway.ignoreMigrationPatterns=*:missing,*:gone\n");
        bad = Assert.Throws<SchemaOpsException>(() => Resolve());
        Assert.Equal(("InvalidConfigValue", 2), (bad.ErrorId, bad.Line));
        Assert.Contains("flyway.conf:2: 'ignoreMigrationPatterns' must be type:state patterns", bad.Message);
    }

    [Theory]
    [InlineData("flyway.conf", "flyway.url=x\nflyway.placeholderPrefix=#[\n", 2, "placeholderPrefix", "'${'")]
    [InlineData("flyway.conf", "flyway.sqlMigrationPrefix=M\n", 1, "sqlMigrationPrefix", "'V'")]
    [InlineData("flyway.toml", "[flyway]\nsqlMigrationSuffixes = [\".sql\", \".pgsql\"]\n", 2, "sqlMigrationSuffixes", "'.sql'")]
    [InlineData("flyway.toml", "[flyway]\ncherryPick = \"2,hunter2\"\n", 2, "cherryPick", "Remove it")]
    [InlineData("schemaops.json", "{\n  \"encoding\": \"ISO-8859-1\"\n}", 2, "encoding", "'UTF-8'")]
    public void A_flyway_setting_that_changes_what_runs_and_is_not_supported_is_refused_naming_file_and_line(string name, string text, int line, string key, string hint)
    {
        var path = _dir.Write(name, text);
        var e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Url = "postgres://u@h/d" }));
        Assert.Equal(("UnsupportedSetting", path, line), (e.ErrorId, e.File, e.Line));
        Assert.Contains($"{name}:{line}: '{key}'", e.Message);
        Assert.Contains(hint, e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.DoesNotContain("#[", e.Message);
    }

    [Fact]
    public void Flyway_s_initSql_is_read_from_its_files_and_variable()
    {
        _dir.Write("flyway.conf", "flyway.url=jdbc:postgresql://confhost/app\nflyway.initSql=SET ROLE app_owner\n");
        Assert.Equal("SET ROLE app_owner", Resolve().Settings.InitSql);
        Assert.Equal("SET ROLE other", Resolve(variables: new() { ["FLYWAY_INIT_SQL"] = "SET ROLE other" }).Settings.InitSql);
        File.Delete(Path.Combine(_dir.Path, "flyway.conf"));
        _dir.Write("flyway.toml", "[environments.default]\nurl = \"jdbc:postgresql://confhost/app\"\n[flyway]\ninitSql = \"SET ROLE app_owner\"\n");
        Assert.Equal("SET ROLE app_owner", Resolve().Settings.InitSql);
    }

    [Fact]
    public void FLYWAY_CONFIG_FILES_names_the_file_a_Flyway_pipeline_reads_and_several_are_refused()
    {
        // A CI job written for Flyway: SchemaOps read the working directory's own flyway.conf instead, another database.
        _dir.Write("flyway.conf", "flyway.url=jdbc:postgresql://devhost/app\n");
        _dir.Write("conf/prod.conf", "flyway.url=jdbc:postgresql://prodhost/app\nflyway.target=7\n");
        var request = Resolve(variables: new() { ["FLYWAY_CONFIG_FILES"] = "conf/prod.conf" });
        Assert.Equal(("prodhost", "7"), (Host(request), request.Settings.Target));
        Assert.Equal("devhost", Host(Resolve(variables: new() { ["FLYWAY_CONFIG_FILES"] = "conf/prod.conf", ["SCHEMAOPS_CONFIG"] = "flyway.conf" })));

        var e = Assert.Throws<SchemaOpsException>(() => Resolve(variables: new() { ["FLYWAY_CONFIG_FILES"] = "conf/prod.conf,conf/extra.conf" }));
        Assert.Equal("InvalidEnvironmentVariable", e.ErrorId);
        Assert.Contains("FLYWAY_CONFIG_FILES names 2 files", e.Message);
        Assert.Equal("ConfigFileNotFound", Assert.Throws<SchemaOpsException>(() => Resolve(variables: new() { ["FLYWAY_CONFIG_FILES"] = "conf/missing.conf" })).ErrorId);
    }

    [Fact]
    public void A_FLYWAY_variable_for_an_unsupported_setting_is_refused_naming_the_variable_and_not_its_value()
    {
        var e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Url = "postgres://u@h/d" }, new() { ["FLYWAY_PLACEHOLDER_PREFIX"] = "#hunter2[" }));
        Assert.Equal("UnsupportedSetting", e.ErrorId);
        Assert.StartsWith("environment variable FLYWAY_PLACEHOLDER_PREFIX: 'placeholderPrefix'", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
        // Flyway's own default is what SchemaOps does: accepted.
        Assert.Null(Resolve(new ConfigValues { Url = "postgres://u@h/d" }, new() { ["FLYWAY_SQL_MIGRATION_PREFIX"] = "V" }).Settings.Target);
    }

    [Fact]
    public void Any_valid_toml_loads_whatever_other_tools_keep_in_the_file()
    {
        // What the hand-written reader refused: multi-line strings, arrays of tables, dates, nested arrays, other tables.
        _dir.Write("flyway.toml", """"
            [flyway]
            table = """
            deploy_history"""
            schemas = ['''app''']
            locations = ["filesystem:db"]

            [[redgate.profiles]]
            name = "nightly"
            when = 2024-01-02T03:04:05Z

            [[redgate.profiles]]
            name = "weekly"
            matrix = [[1, 2], ["a"]]

            [environments.prod]
            url = "jdbc:postgresql://prodhost/app"
            """");
        var resolved = Resolve(new ConfigValues { Url = "postgres://u@h/d" });
        Assert.Equal("deploy_history", resolved.Settings.Table);
        Assert.Equal(["app"], resolved.Settings.Schemas);
        Assert.Equal([Path.Combine(_dir.Path, "db")], resolved.Settings.Locations);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void A_flyway_toml_is_read_with_environments_the_default_and_per_environment_overrides()
    {
        _dir.Write("flyway.toml", """
            id = "0f1e2d3c"        # Redgate's project id: not ours
            databaseType = "PostgreSql"

            [environments.default]
            url = "jdbc:postgresql://tomlhost/app"
            user = "app"
            password = "${env.TOML_PASSWORD}"
            schemas = [
              "app",    # the history table's schema
              "audit",
            ]

            [environments.prod]
            url = 'jdbc:postgresql://prodhost/app'

            [environments.prod.flyway]
            cleanDisabled = true
            placeholders = { tenant = "prod-tenant" }

            [flyway]
            locations = ["filesystem:migrations"]
            cleanDisabled = false
            placeholders.tenant = "dev-tenant"

            [redgateCompare]
            filterFile = "x.rgf"
            """);
        var dev = Resolve(variables: new() { ["TOML_PASSWORD"] = "toml-pw" });
        Assert.Equal("default", dev.Settings.Environment); // Flyway's default environment is "default"
        Assert.Equal("tomlhost", Host(dev));
        Assert.Equal("toml-pw", dev.Target.SplitSecret().Password);
        Assert.Equal(["app", "audit"], dev.Settings.Schemas);
        Assert.Equal([Path.Combine(_dir.Path, "migrations")], dev.Settings.Locations);
        Assert.Equal("dev-tenant", dev.Settings.Placeholders["tenant"]);
        Assert.True(dev.Settings.CleanEnabled);

        var prod = Resolve(new ConfigValues { Environment = "prod" });
        Assert.True(prod.Settings.Production);
        Assert.False(prod.Settings.CleanEnabled);
        Assert.Equal("prod-tenant", prod.Settings.Placeholders["tenant"]);
        Assert.Empty(_warnings);
    }

    [Theory]
    [InlineData("schemaops.json", "{\n  \"table\": \"x\",\n  \"lockTimout\": \"2s\"\n}", "UnknownConfigKey", 3, "lockTimout")]
    [InlineData("schemaops.json", "{\n  \"table\": \"x\"\n  \"url\": \"y\"\n}", "InvalidConfigFile", 3, "not valid JSON")]
    [InlineData("schemaops.json", "{\n  \"environments\": {\n    \"dev\": { \"lockRetryCount\": \"many\" }\n  }\n}", "InvalidConfigValue", 3, "lockRetryCount")]
    [InlineData("schemaops.json", "{\n  \"locations\": [\"classpath:db/migration\"]\n}", "UnsupportedLocation", 2, "classpath")]
    [InlineData("flyway.toml", "[flyway]\nlocations = [\"a\",\n  \"b\"\ntable = \"x\"\n", "InvalidConfigFile", 4, "table")]
    [InlineData("schemaops.json", "{\n  \"environments\": {\n    \"ci\": { \"lintLevel\": \"warnings\" }\n  }\n}", "InvalidConfigValue", 3, "lintLevel")]
    [InlineData("flyway.toml", "[flyway]\ntable = \"a\"\nschemas = [\"x\"]\ntable = \"b\"\n", "InvalidConfigFile", 4, "'flyway.table' is given twice (first on line 2)")]
    [InlineData("flyway.toml", "[flyway]\nlockRetryCount = 1979-05-27\n", "InvalidConfigValue", 2, "lockRetryCount")]
    [InlineData("flyway.toml", "[flyway]\nschemas = [[\"a\"], \"b\"]\n", "InvalidConfigValue", 2, "schemas")]
    [InlineData("flyway.conf", "flyway.url=x\nthis line has no separator\n", "InvalidConfigFile", 2, "key=value")]
    // A file ending inside a string's \u or \U escape: Tomlyn's own error for it threw ArgumentOutOfRangeException (an
    // InternalError, no line), found by the input properties' random files.
    [InlineData("flyway.toml", "[flyway]\ntable = \"x\"\nurl = \"jdbc:\\u12", "InvalidConfigFile", 3, "escape")]
    [InlineData("flyway.toml", "\"a\\U0000", "InvalidConfigFile", 1, "escape")]
    [InlineData("flyway.toml", "[flyway]\nurl = \"\\U00110000\"\n", "InvalidConfigFile", 2, "Unicode scalar value")]
    [InlineData("flyway.toml", "\"a\\u00\"", "InvalidConfigFile", 1, "Unexpected escape character")] // one diagnostic, not two joined by a newline
    public void A_bad_config_file_is_refused_with_its_file_line_and_key(string name, string text, string errorId, int line, string mentions)
    {
        var path = _dir.Write(name, text);
        var e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Url = "postgres://u@h/d" }));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains($"{name}:{line}", e.Message);
        Assert.Contains(mentions, e.Message);
        Assert.DoesNotContain("\\n", e.Message); // Tomlyn's joined diagnostics, shown as a literal \n
        Assert.DoesNotContain("error :", e.Message);
    }

    [Fact]
    public void A_secret_in_a_bad_value_is_never_quoted_in_the_error()
    {
        _dir.Write("schemaops.json", """{ "environments": { "dev": { "url": "postgres://u:hunter2@h:notaport/d" } }, "environment": "dev" }""");
        var e = Assert.Throws<SchemaOpsException>(() => Resolve());
        Assert.DoesNotContain("hunter2", e.Message);
        _dir.Write("schemaops.json", """{ "password": ["hunter2"] }""");
        e = Assert.Throws<SchemaOpsException>(() => Resolve());
        Assert.Equal("InvalidConfigValue", e.ErrorId);
        Assert.DoesNotContain("hunter2", e.Message);
        // Tomlyn names the token it stopped at: a password written without quotes, or after a closed string.
        File.Delete(Path.Combine(_dir.Path, "schemaops.json"));
        foreach (var toml in new[] { "[flyway]\npassword = hunter2secret\n", "[flyway]\npassword = \"x\" hunter2x\n" })
        {
            _dir.Write("flyway.toml", toml);
            e = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Url = "postgres://u@h/d" }));
            Assert.Equal(("InvalidConfigFile", 2), (e.ErrorId, e.Line));
            Assert.DoesNotContain("hunter", e.Message);
        }
    }

    [Fact]
    public void Discovery_prefers_schemaops_json_and_SCHEMAOPS_CONFIG_names_a_file_anywhere()
    {
        _dir.Write("flyway.conf", "flyway.table=from_conf\n");
        Assert.Equal("from_conf", Resolve(new ConfigValues { Url = "postgres://u@h/d" }).Settings.Table);
        _dir.Write("schemaops.json", """{ "table": "from_json" }""");
        Assert.Equal("from_json", Resolve(new ConfigValues { Url = "postgres://u@h/d" }).Settings.Table);
        var elsewhere = _dir.Write("ops/team.toml", "[flyway]\ntable = \"from_toml\"\n");
        Assert.Equal("from_toml", Resolve(new ConfigValues { Url = "postgres://u@h/d" }, new() { ["SCHEMAOPS_CONFIG"] = elsewhere }).Settings.Table);
        Assert.Equal("ConfigFileNotFound", Assert.Throws<SchemaOpsException>(() => Resolve(configPath: "missing.json")).ErrorId);
    }

    [Fact]
    public void A_dbmate_project_runs_from_its_env_file_and_its_db_migrations_folder()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "db", "migrations"));
        _dir.Write(".env", "DATABASE_URL=\"postgres://app:env-secret@dotenvhost/app?sslmode=disable\"\nDBMATE_MIGRATIONS_TABLE=dbmate_history\n");

        var request = Resolve();
        Assert.Equal("dotenvhost", Host(request));
        Assert.Equal("env-secret", request.Target.SplitSecret().Password);
        Assert.Equal("dbmate_history", request.Settings.Table);
        Assert.Equal([Path.Combine(_dir.Path, "db", "migrations")], request.Settings.Locations); // dbmate's default folder, the only one there

        Directory.CreateDirectory(Path.Combine(_dir.Path, "db", "migration"));
        Assert.Equal([Path.Combine(_dir.Path, "db", "migration")], Resolve().Settings.Locations); // Flyway's, when it exists
    }

    [Fact]
    public void The_env_file_only_fills_what_the_environment_and_the_config_file_leave_open()
    {
        _dir.Write(".env", "DATABASE_URL=postgres://u@dotenvhost/app\nFLYWAY_TABLE=dotenv_history\nFLYWAY_LOCATIONS=from-dotenv\n");
        var variable = Resolve(variables: new() { ["DATABASE_URL"] = "postgres://u@envhost/app" });
        Assert.Equal("envhost", Host(variable));
        Assert.Equal("dotenv_history", variable.Settings.Table);

        _dir.Write("schemaops.json", Json); // names its database (environment dev) and a table
        var configured = Resolve();
        Assert.Equal("devhost", Host(configured)); // an application's .env never redirects a configured project
        Assert.Equal("dev_history", configured.Settings.Table);
        Assert.Equal([Path.Combine(_dir.Path, "db", "common")], configured.Settings.Locations);
        Assert.Empty(_warnings);

        // The rehearsal never takes a database from variables: nor from the .env.
        File.Delete(Path.Combine(_dir.Path, "schemaops.json"));
        var (_, target) = ConfigResolver.ResolveForRehearsal(new ConfigRequest { WorkingDirectory = _dir.Path, Variables = EnvironmentVariables.Empty });
        Assert.Null(target);
    }

    [Fact]
    public void An_explicit_env_file_must_exist_and_replaces_the_default_one()
    {
        _dir.Write(".env", "DATABASE_URL=postgres://u@dotenvhost/app\n");
        _dir.Write("ci.env", "DATABASE_URL=postgres://u@cihost/app\n");
        ConfigRequest Request(string envFile) => new() { WorkingDirectory = _dir.Path, Variables = EnvironmentVariables.Empty, DotEnvPath = envFile };
        Assert.Equal("cihost", Host(ConfigResolver.Resolve(Request("ci.env"))));
        Assert.Equal("ConfigFileNotFound", Assert.Throws<SchemaOpsException>(() => ConfigResolver.Resolve(Request("missing.env"))).ErrorId);
    }

    [Fact]
    public void A_golang_migrate_URL_keeps_its_own_parameters_and_names_the_table_and_statement_timeout()
    {
        // The DATABASE_URL a team's golang-migrate runs with, unchanged.
        const string Url = "postgres://app@gmhost:5432/shop?sslmode=disable&x-migrations-table=shop_migrations&x-statement-timeout=60000&x-multi-statement=true&x-lock-strategy=advisory";
        var request = Resolve(variables: new() { ["DATABASE_URL"] = Url });
        Assert.Equal("gmhost", Host(request));
        Assert.Equal("shop_migrations", request.Settings.Table);
        Assert.Equal(TimeSpan.FromMinutes(1), request.Settings.StatementTimeout);

        var named = Resolve(new ConfigValues { Table = "mine", StatementTimeout = TimeSpan.FromSeconds(5) }, new() { ["DATABASE_URL"] = Url });
        Assert.Equal(("mine", TimeSpan.FromSeconds(5)), (named.Settings.Table, named.Settings.StatementTimeout)); // said elsewhere: that wins

        Assert.Equal("my\"table", Resolve(new ConfigValues { Url = "postgres://u@h/d?x-migrations-table=%22my%22%22table%22&x-migrations-table-quoted=1" }).Settings.Table); // Go's ParseBool
        Assert.Equal("my\"table", Resolve(new ConfigValues { Url = "postgres://u@h/d?x-migrations-table=%22my%22%22table%22&x-migrations-table-quoted=true" }).Settings.Table);
        var qualified = Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Url = "postgres://u@h/d?x-migrations-table=%22audit%22.%22migrations%22&x-migrations-table-quoted=true" }));
        Assert.Equal("InvalidConnectionUrl", qualified.ErrorId);
        Assert.Contains("--schema", qualified.Message);
        Assert.Equal("InvalidConnectionUrl", Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Url = "postgres://u@h/d?x-statement-timeout=1m" })).ErrorId);
        Assert.Equal("InvalidConnectionUrl", Assert.Throws<SchemaOpsException>(() => Resolve(new ConfigValues { Url = "postgres://u@h/d?x-unknown=1" })).ErrorId);
    }

    [Fact]
    public void A_named_variable_gives_the_url_from_the_environment_or_the_env_file_as_dbmate_s_env_does()
    {
        // The runbook's .env.dbmate: one URL per environment, chosen by name.
        _dir.Write(".env.dbmate", "DEV_DATABASE_URL=postgres://u@devhost/app\nSTAGING_DATABASE_URL=postgres://u@staginghost/app\n");
        ConfigRequest Request(string name, Dictionary<string, string>? variables = null) => new()
        {
            WorkingDirectory = _dir.Path, DotEnvPath = ".env.dbmate", UrlVariable = name, Variables = new EnvironmentVariables(variables ?? []),
        };
        Assert.Equal("staginghost", Host(ConfigResolver.Resolve(Request("STAGING_DATABASE_URL", new() { ["DATABASE_URL"] = "postgres://u@envhost/app" }))));
        Assert.Equal("overridden", Host(ConfigResolver.Resolve(Request("STAGING_DATABASE_URL", new() { ["STAGING_DATABASE_URL"] = "postgres://u@overridden/app" }))));
        var missing = Assert.Throws<SchemaOpsException>(() => ConfigResolver.Resolve(Request("PRODUCTION_DATABASE_URL")));
        Assert.Equal("NoConnection", missing.ErrorId);
        Assert.Contains("PRODUCTION_DATABASE_URL", missing.Message);
        Assert.Equal("staginghost", ConfigResolver.ResolveForRehearsal(Request("STAGING_DATABASE_URL")).Target is { } t ? Host(new MigrationRequest(t, new MigrationSettings())) : null);
    }

    private static string Host(MigrationRequest request) => new Npgsql.NpgsqlConnectionStringBuilder(request.Target.SplitSecret().ConnectionString).Host!;
}
