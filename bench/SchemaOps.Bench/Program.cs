using System.Diagnostics;
using System.Text;
using Npgsql;
using SchemaOps.Engine.Ephemeral;

// Runs SchemaOps, dbmate and psql side by side on one throwaway PostgreSQL and prints wall times and ratios.
// usage: SchemaOps.Bench <native schemaops> <schemaops.dll> <dbmate binary> [rounds]
var native = args[0];
var schemaopsDll = args[1];
var dbmate = args[2];
var rounds = args.Length > 3 ? int.Parse(args[3]) : 5;
// The module (Release build folder) and pwsh, for Invoke-Migration beside the CLI; unset: that row is left out.
var pwsh = Environment.GetEnvironmentVariable("SCHEMAOPS_PWSH");
var module = Environment.GetEnvironmentVariable("SCHEMAOPS_MODULE");
const string InvokeMigration = "Invoke-Migration (pwsh)";
// The .NET tools users would pick instead (bench/Peers: DbUp and Evolve as a deploy program drives them; grate, a
// .NET tool); unset: their rows are left out. Transactions as each runs by default or as its README shows:
// DbUp one per script (WithTransactionPerScript), Evolve one per script (CommitEach, its default), grate none
// (its default; --transaction would put the whole run in one).
var peers = Environment.GetEnvironmentVariable("SCHEMAOPS_PEERS");
var grate = Environment.GetEnvironmentVariable("SCHEMAOPS_GRATE");
// Which parts to run (default all): sets (apply and undo), pooled (the apply again through PgBouncer), info, drift, fleet, locks, backup,
// lint, ephemeral. E.g. SCHEMAOPS_BENCH=fleet bench/run
var parts = (Environment.GetEnvironmentVariable("SCHEMAOPS_BENCH") ?? "sets,pooled,info,drift,fleet,locks,backup,lint,ephemeral").Split(',');
var work = Path.Combine(Path.GetTempPath(), "schemaops-bench");
if (Directory.Exists(work)) Directory.Delete(work, true);

await using var pg = await EphemeralPostgres.StartAsync();
var psql = pg.Installation.Tool("psql");
var env = new Dictionary<string, string> { ["PGPASSWORD"] = pg.Password };
Console.WriteLine($"PostgreSQL {pg.MajorVersion} on 127.0.0.1:{pg.Port} (throwaway cluster: fsync=off, synchronous_commit=off), {Environment.ProcessorCount} cores");

// Two sets of 1,000 migrations, each in Flyway and dbmate layouts and as plain files for psql:
// "ddl-heavy": a table with a primary key, an index and rows (the server creates ~5 files each: server-bound);
// "light": ALTER TABLE ADD COLUMN + COMMENT on one table (catalog updates only: the tools' own costs show).
const int Count = 1000;
string Heavy(int i) => $"CREATE TABLE t{i:D4} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n" +
                       $"CREATE INDEX t{i:D4}_name_idx ON t{i:D4} (name);\n" +
                       $"INSERT INTO t{i:D4} (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c');\n";
string Light(int i) => i == 0 ? "CREATE TABLE items (id bigint PRIMARY KEY);\n" : $"ALTER TABLE items ADD COLUMN c{i} integer;\nCOMMENT ON COLUMN items.c{i} IS 'step {i}';\n";
string HeavyDown(int i) => $"DROP TABLE t{i:D4};";
string LightDown(int i) => i == 0 ? "DROP TABLE items;" : $"ALTER TABLE items DROP COLUMN c{i};";

var report = new StringBuilder();
// The apply runs again through a real PgBouncer in transaction mode (as production often has one in front):
// SchemaOps then takes no session lock and guards each migration inside its own transaction.
await using var bouncer = parts.Contains("pooled") ? await SchemaOps.Engine.Tests.PgBouncer.StartAsync(pg, poolSize: 2) : null;
var wirings = new List<(string Label, int Port)> { ("", pg.Port) };
if (bouncer is not null) wirings.Add((" through PgBouncer (transaction pooling)", bouncer.Port));
foreach (var (set, up, down, first, check) in !parts.Contains("sets") ? [] : new (string, Func<int, string>, Func<int, string>, int, string)[]
{
    ("ddl-heavy", Heavy, HeavyDown, 1, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]{4}$'"),
    ("light", Light, LightDown, 0, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name ~ '^c[0-9]+$'"),
})
{
    var root = Path.Combine(work, set);
    var flyway = Directory.CreateDirectory(Path.Combine(root, "flyway")).FullName;
    var dbmateDir = Directory.CreateDirectory(Path.Combine(root, "dbmate")).FullName;
    var plain = Directory.CreateDirectory(Path.Combine(root, "plain")).FullName;
    var dbupDir = Directory.CreateDirectory(Path.Combine(root, "dbup")).FullName;
    var evolveDir = Directory.CreateDirectory(Path.Combine(root, "evolve")).FullName;
    var grateDir = Directory.CreateDirectory(Path.Combine(root, "grate", "up")).FullName;
    for (var i = first; i <= Count; i++)
    {
        File.WriteAllText(Path.Combine(dbupDir, $"{i:D4}_step.sql"), up(i)); // DbUp and grate run files in name order
        File.WriteAllText(Path.Combine(grateDir, $"{i:D4}_step.sql"), up(i));
        File.WriteAllText(Path.Combine(evolveDir, $"V{i + 1}__step_{i:D4}.sql"), up(i)); // Evolve skips a version 0
        File.WriteAllText(Path.Combine(flyway, $"V{i}__step_{i:D4}.sql"), up(i));
        File.WriteAllText(Path.Combine(flyway, $"U{i}__step_{i:D4}.sql"), down(i));
        File.WriteAllText(Path.Combine(plain, $"{i:D4}.sql"), up(i));
        File.WriteAllText(Path.Combine(plain, $"{i:D4}.down.sql"), down(i));
        File.WriteAllText(Path.Combine(dbmateDir, $"{20240101000000L + i}_step_{i:D4}.sql"), $"-- migrate:up\n{up(i)}\n-- migrate:down\n{down(i)}\n");
    }
    // psql: one process for the whole set, each file in its own transaction (the fastest way by hand).
    File.WriteAllText(Path.Combine(root, "all.psql"), string.Concat(Enumerable.Range(first, Count - first + 1).Select(i => $"BEGIN;\n\\i {plain}/{i:D4}.sql\nCOMMIT;\n")));
    File.WriteAllText(Path.Combine(root, "all-down.psql"), string.Concat(Enumerable.Range(first, Count - first + 1).Reverse().Select(i => $"BEGIN;\n\\i {plain}/{i:D4}.down.sql\nCOMMIT;\n")));

    foreach (var (wiring, port) in wirings)
    {
        var tools = new List<(string Name, Func<string, (string File, string[] Args)> Command)>
        {
            ("schemaops", db => (native, ["migrate", "--path", flyway, "--url", $"postgres://postgres@127.0.0.1:{port}/{db}"])),
            ("schemaops (dotnet)", db => ("dotnet", [schemaopsDll, "migrate", "--path", flyway, "--url", $"postgres://postgres@127.0.0.1:{port}/{db}"])),
            ("dbmate", db => (dbmate, ["--url", $"postgres://postgres@127.0.0.1:{port}/{db}?sslmode=disable", "--migrations-dir", dbmateDir, "--no-dump-schema", "up"])),
            ("psql", db => (psql, ["-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port.ToString(), "-U", "postgres", "-d", db, "-f", Path.Combine(root, "all.psql")])),
        };
        string Npgsql(string db) => $"Host=127.0.0.1;Port={port};Username=postgres;Database={db}"; // the password: PGPASSWORD, as for the others
        if (peers is not null && wiring.Length == 0)
        {
            tools.Add(("DbUp", db => (peers, ["dbup", Npgsql(db), dbupDir])));
            tools.Add(("Evolve", db => (peers, ["evolve", Npgsql(db), evolveDir])));
        }
        if (grate is not null && wiring.Length == 0)
            tools.Add(("grate", db => (grate, ["--connectionstring", Npgsql(db), "--files", Path.GetDirectoryName(grateDir)!, "--databasetype", "PostgreSQL",
                "--silent", "--verbosity", "Warning", "--outputPath", Path.Combine(work, "grate-output")])));
        // The cmdlet in real pwsh, the module imported first: it times Invoke-Migration itself, so pwsh's own start is not counted.
        if (pwsh is not null && wiring.Length == 0)
            tools.Add((InvokeMigration, db => (pwsh, ["-NoProfile", "-NonInteractive", "-Command",
                $"Import-Module '{module}'; $w = [Diagnostics.Stopwatch]::StartNew(); Invoke-Migration -Path '{flyway}' -ConnectionString 'postgres://postgres@127.0.0.1:{port}/{db}' -Confirm:$false | Out-Null; $w.Elapsed.TotalSeconds"])));

        var times = tools.ToDictionary(t => t.Name, _ => new List<double>());
        for (var round = 0; round <= rounds; round++) // round 0 warms up the server and the file cache and is not counted
            foreach (var (name, command) in round % 2 == 0 ? Enumerable.Reverse(tools) : tools) // alternate the order between rounds
            {
                var db = await pg.CreateDatabaseAsync();
                // Every run starts from a quiet disk: no dirty buffers in PostgreSQL, none in the kernel. (Dropping
                // databases between runs is worse: unlinking thousands of files spills into the next run.)
                await Sql("postgres", "CHECKPOINT");
                Run("sync", [], env);
                var (file, arguments) = command(db);
                var seconds = name == InvokeMigration ? RunTimingItself(file, arguments, env) : Run(file, arguments, env);
                if (await CountRows(db, check) != Count) throw new Exception($"{name} did not apply all {Count} migrations of {set}{wiring}");
                if (round == 0) continue;
                times[name].Add(seconds);
                Console.WriteLine($"  {set}{wiring} round {round}: {name,-18} {seconds,7:0.000} s");
            }

        Table($"{set}: apply {Count} migrations{wiring}", times);
        double Of(string tool) => Median(times[tool]);
        Summary.AtMost($"{set}: apply {Count}{wiring}, at most 0.8 x dbmate", Of("schemaops") / Of("dbmate"), 0.8, $"(native {Of("schemaops"):0.000} s, dbmate {Of("dbmate"):0.000} s)");
        Summary.AtMost($"{set}: apply {Count}{wiring}, at most 1.1 x psql", Of("schemaops") / Of("psql"), 1.1, $"(native {Of("schemaops"):0.000} s, psql {Of("psql"):0.000} s)");
        if (new[] { "DbUp", "Evolve", "grate" }.Where(times.ContainsKey).Select(Of).DefaultIfEmpty().Min() is var fastestPeer and > 0)
            Summary.AtMost($"{set}: apply {Count}{wiring}, no slower than the fastest .NET peer (DbUp, Evolve, grate)", Of("schemaops") / fastestPeer, 1.0,
                $"(native {Of("schemaops"):0.000} s, fastest peer {fastestPeer:0.000} s)");
        if (times.ContainsKey(InvokeMigration))
        {
            report.AppendLine($"{InvokeMigration} / schemaops (native): {Of(InvokeMigration) / Of("schemaops"):0.00}; " +
                              $"/ schemaops (dotnet): {Of(InvokeMigration) / Of("schemaops (dotnet)"):0.00} (target: at most 1.2)\n");
            Summary.AtMost($"{set}: Invoke-Migration at most 1.2 x the JIT CLI (pwsh start excluded)", Of(InvokeMigration) / Of("schemaops (dotnet)"), 1.2,
                $"({Of(InvokeMigration):0.000} s, `dotnet schemaops.dll` {Of("schemaops (dotnet)"):0.000} s)");
            Summary.AtMost($"{set}: Invoke-Migration at most 1.2 x the native CLI (pwsh start excluded)", Of(InvokeMigration) / Of("schemaops"), 1.2,
                $"({Of(InvokeMigration):0.000} s, native {Of("schemaops"):0.000} s)");
        }
    }

    // Undo everything: each tool undoes what it applied itself (untimed), one transaction per migration.
    // dbmate has no "rollback N": its users loop `dbmate rollback`, so that loop is what is timed.
    string Url(string db) => $"postgres://postgres@127.0.0.1:{pg.Port}/{db}";
    var undoers = new (string Name, Func<string, (string, string[])> Apply, Func<string, (string, string[])> Undo, int Repeat)[]
    {
        ("schemaops", db => (native, ["migrate", "--path", flyway, "--url", Url(db)]), db => (native, ["undo", "--all", "--path", flyway, "--url", Url(db)]), 1),
        ("schemaops (dbmate layout)", db => (native, ["migrate", "--path", dbmateDir, "--url", Url(db)]), db => (native, ["undo", "--all", "--path", dbmateDir, "--url", Url(db)]), 1),
        ("dbmate rollback loop", db => (dbmate, ["--url", Url(db) + "?sslmode=disable", "--migrations-dir", dbmateDir, "--no-dump-schema", "up"]),
            db => (dbmate, ["--url", Url(db) + "?sslmode=disable", "--migrations-dir", dbmateDir, "--no-dump-schema", "rollback"]), Count - first + 1),
        ("psql", db => (psql, ["-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", pg.Port.ToString(), "-U", "postgres", "-d", db, "-f", Path.Combine(root, "all.psql")]),
            db => (psql, ["-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", pg.Port.ToString(), "-U", "postgres", "-d", db, "-f", Path.Combine(root, "all-down.psql")]), 1),
    };
    var undoTimes = undoers.ToDictionary(t => t.Name, _ => new List<double>());
    // Undo runs are short and this machine is noisy: at least 7 rounds, so the medians mean something.
    var undoRounds = Math.Max(rounds, 7);
    for (var round = 0; round <= undoRounds; round++)
        foreach (var (name, apply, undo, repeat) in round % 2 == 0 ? undoers.Reverse() : undoers)
        {
            // The rollback loop takes minutes (one dbmate process per migration): timed once, not warmed up.
            if (repeat > 1 && round != 1) continue;
            var db = await pg.CreateDatabaseAsync();
            var (applyFile, applyArgs) = apply(db);
            Run(applyFile, applyArgs, env);
            await Sql("postgres", "CHECKPOINT");
            Run("sync", [], env);
            var (file, arguments) = undo(db);
            var seconds = Enumerable.Range(0, repeat).Sum(_ => Run(file, arguments, env));
            if (await CountRows(db, check) != 0) throw new Exception($"{name} did not undo all {Count} migrations of {set}");
            if (round == 0) continue;
            undoTimes[name].Add(seconds);
            Console.WriteLine($"  {set} undo round {round}: {name,-26} {seconds,7:0.000} s");
        }
    Table($"{set}: undo {Count} migrations", undoTimes, undoRounds);
    Summary.AtMost($"{set}: undo {Count}, at most 1.2 x psql", Median(undoTimes["schemaops"]) / Median(undoTimes["psql"]), 1.2,
        $"(native {Median(undoTimes["schemaops"]):0.000} s, psql {Median(undoTimes["psql"]):0.000} s)");
}

void Table(string title, Dictionary<string, List<double>> times, int? runs = null)
{
    report.AppendLine($"| {title} | median wall time (s), {runs ?? rounds} runs | min | max | schemaops / tool |");
    report.AppendLine("|---|---|---|---|---|");
    foreach (var (name, t) in times)
        report.AppendLine($"| {name} | {Median(t):0.000} | {t.Min():0.000} | {t.Max():0.000} | {Median(times["schemaops"]) / Median(t):0.00} |" +
                          (t.Count < (runs ?? rounds) ? $" (timed {t.Count}x)" : ""));
    report.AppendLine();
}


if (parts.Contains("info"))
{
    // The checks of a deployment that has nothing to do, with 10,000 migrations applied: SchemaOps `info` beside
    // `dbmate status`, and a no-op `migrate` beside a no-op `dbmate up`, interleaved, process start included. dbmate
    // reads no file contents for these; SchemaOps reads every file and verifies its checksum against the history.
    const int Many = 10_000;
    var big = Directory.CreateDirectory(Path.Combine(work, "flyway-10k")).FullName;
    var bigDbmate = Directory.CreateDirectory(Path.Combine(work, "dbmate-10k")).FullName;
    for (var i = 1; i <= Many; i++)
    {
        File.WriteAllText(Path.Combine(big, $"V{i}__step_{i}.sql"), $"CREATE TABLE s{i} (id int);\n");
        File.WriteAllText(Path.Combine(bigDbmate, $"{20240101000000L + i}_step_{i}.sql"), $"-- migrate:up\nCREATE TABLE s{i} (id int);\n\n-- migrate:down\nDROP TABLE s{i};\n");
    }
    var bigUrl = $"postgres://postgres@127.0.0.1:{pg.Port}/{await pg.CreateDatabaseAsync()}";
    var dbmateUrl = $"postgres://postgres@127.0.0.1:{pg.Port}/{await pg.CreateDatabaseAsync()}?sslmode=disable";
    var applyMany = Run(native, ["migrate", "--path", big, "--url", bigUrl], env);
    Run(dbmate, ["--url", dbmateUrl, "--migrations-dir", bigDbmate, "--no-dump-schema", "up"], env);
    await Sql("postgres", "CHECKPOINT");
    Run("sync", [], env);
    var checks = new (string Name, string File, string[] Args)[]
    {
        ("schemaops info", native, ["info", "--path", big, "--url", bigUrl]),
        ("dbmate status", dbmate, ["--url", dbmateUrl, "--migrations-dir", bigDbmate, "status"]),
        ("schemaops migrate (nothing to do)", native, ["migrate", "--path", big, "--url", bigUrl]),
        ("dbmate up (nothing to do)", dbmate, ["--url", dbmateUrl, "--migrations-dir", bigDbmate, "--no-dump-schema", "up"]),
        ("schemaops (dotnet) info", "dotnet", [schemaopsDll, "info", "--path", big, "--url", bigUrl]),
    };
    var checkTimes = checks.ToDictionary(c => c.Name, _ => new List<double>());
    for (var round = 0; round < Math.Max(rounds, 5); round++)
        foreach (var (name, file, arguments) in checks) checkTimes[name].Add(Run(file, arguments, env));
    report.AppendLine($"| {Many} migrations applied, nothing to do: median of {checkTimes.First().Value.Count} (s) | time |");
    report.AppendLine("|---|---|");
    foreach (var (name, t) in checkTimes) report.AppendLine($"| {name} | {Median(t):0.000} |");
    report.AppendLine($"| (migrate of those {Many} by schemaops, for scale) | {applyMany:0.000} |");
    // The floor of verifying every checksum: only opening and reading the files (SchemaOps' own reader: open, read, close),
    // in this warm process, on one thread.
    var readAlone = new List<double>();
    for (var round = 0; round < 5; round++)
    {
        var clock = Stopwatch.StartNew();
        foreach (var file in Directory.EnumerateFiles(big)) SchemaOps.Engine.Sources.WholeFile.Read(file);
        readAlone.Add(clock.Elapsed.TotalSeconds);
    }
    report.AppendLine($"| (reading the {Many} files alone, nothing else: in-process, one thread) | {Median(readAlone):0.000} |");
    double Ratio(string ours, string theirs) => Median(checkTimes[ours]) / Median(checkTimes[theirs]);
    Summary.AtMost($"info over {Many} applied, no slower than dbmate status", Ratio("schemaops info", "dbmate status"), 1.0,
        $"x dbmate (native {Median(checkTimes["schemaops info"]):0.000} s, dbmate {Median(checkTimes["dbmate status"]):0.000} s)");
    Summary.AtMost($"no-op migrate over {Many} applied, no slower than dbmate up", Ratio("schemaops migrate (nothing to do)", "dbmate up (nothing to do)"), 1.0,
        $"x dbmate (native {Median(checkTimes["schemaops migrate (nothing to do)"]):0.000} s, dbmate {Median(checkTimes["dbmate up (nothing to do)"]):0.000} s)");
}

// Drift: a project of 150 migrations (the size of a mature service's history: tables, indexes, a view each 10th),
// applied, then `schemaops drift` on it (the replay on a throwaway server included), clean and with one hand-made index.
if (parts.Contains("drift"))
{
    const int Lydia = 150;
    var project = Directory.CreateDirectory(Path.Combine(work, "drift-150")).FullName;
    for (var i = 1; i <= Lydia; i++)
        File.WriteAllText(Path.Combine(project, $"V{i}__step_{i}.sql"),
            $"CREATE TABLE d{i} (id bigint PRIMARY KEY, name text NOT NULL, at timestamptz NOT NULL DEFAULT now());\nCREATE INDEX d{i}_name ON d{i} (name);\n" +
            (i % 10 == 0 ? $"CREATE VIEW d{i}_recent AS SELECT id, name FROM d{i} WHERE at > now() - interval '1 day';\n" : ""));
    var driftDb = await pg.CreateDatabaseAsync();
    var driftUrl = $"postgres://postgres@127.0.0.1:{pg.Port}/{driftDb}";
    Run(native, ["migrate", "--path", project, "--url", driftUrl], env);
    List<double> Drift(int expectedExit) => Enumerable.Range(0, rounds).Select(_ =>
    {
        var watch = Stopwatch.StartNew();
        var code = RunExit(native, ["drift", "--path", project, "--url", driftUrl], env);
        if (code != expectedExit) throw new Exception($"drift exited {code}, expected {expectedExit}");
        return watch.Elapsed.TotalSeconds;
    }).ToList();
    var clean = Median(Drift(0));
    await Sql(driftDb, "CREATE INDEX d7_hotfix ON d7 (at)");
    var drifted = Median(Drift(1));
    report.AppendLine($"| drift check of {Lydia} applied migrations (native, throwaway server start included), median of {rounds} (s) | wall time |");
    report.AppendLine("|---|---|");
    report.AppendLine($"| no drift | {clean:0.000} |");
    report.AppendLine($"| one index made by hand | {drifted:0.000} |");
    report.AppendLine();
    Summary.AtMost($"drift check of {Lydia} applied migrations, under 5 s (native)", Math.Max(clean, drifted), 5.0, $"s (clean {clean:0.000} s, with drift {drifted:0.000} s)");

    // Impact: 20 pending migrations of 3 statements each on those 150 tables (with 10,000 rows in each touched one).
    for (var i = 1; i <= 20; i++)
    {
        await Sql(driftDb, $"INSERT INTO d{i} (id, name) SELECT g, 'n' || g FROM generate_series(1, 10000) g; ANALYZE d{i};");
        File.WriteAllText(Path.Combine(project, $"V{Lydia + i}__change_{i}.sql"),
            $"ALTER TABLE d{i} ADD COLUMN note text;\nCREATE INDEX d{i}_at ON d{i} (at);\nALTER TABLE d{i} ALTER COLUMN name TYPE varchar(200);\n");
    }
    var impactTimes = Enumerable.Range(0, rounds).Select(_ => Run(native, ["impact", "--path", project, "--url", driftUrl, "--json"], env)).ToList();
    report.AppendLine($"| impact preview of 20 pending migrations (60 statements) over {Lydia} applied, median of {rounds} (s) | wall time |");
    report.AppendLine("|---|---|");
    report.AppendLine($"| `schemaops impact --json` (native) | {Median(impactTimes):0.000} |");
    report.AppendLine();
    Summary.AtMost("impact preview of 60 pending statements, under 2 s (native)", Median(impactTimes), 2.0, "s");
}

// Fleet: the example project migrated into 20 databases, one `--targets` run (4 at a time) against 20
// separate `migrate` runs one after the other, as a shell loop would.
if (parts.Contains("fleet"))
{
    var examples = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/parking/db/migration"));
    const int Fleet = 20;
    var sequential = new List<double>();
    var parallel = new List<double>();
    for (var round = 0; round <= rounds; round++)
    {
        var seqDbs = new List<string>();
        var fleetDbs = new List<string>();
        for (var i = 0; i < Fleet; i++)
        {
            seqDbs.Add(await pg.CreateDatabaseAsync());
            fleetDbs.Add(await pg.CreateDatabaseAsync());
        }
        var targets = Path.Combine(work, "targets.txt");
        Directory.CreateDirectory(work);
        File.WriteAllLines(targets, fleetDbs.Select(d => $"postgres://postgres@127.0.0.1:{pg.Port}/{d}"));
        await Sql("postgres", "CHECKPOINT");
        Run("sync", [], env);
        var one = seqDbs.Sum(d => Run(native, ["migrate", "--path", examples, "--url", $"postgres://postgres@127.0.0.1:{pg.Port}/{d}"], env));
        await Sql("postgres", "CHECKPOINT");
        Run("sync", [], env);
        var all = Run(native, ["migrate", "--path", examples, "--targets", targets, "--throttle-limit", "4"], env);
        if (round == 0) continue;
        sequential.Add(one);
        parallel.Add(all);
        Console.WriteLine($"  fleet round {round}: sequential {one:0.000} s, --targets {all:0.000} s");
    }
    report.AppendLine($"| fleet: examples/parking into {Fleet} databases, median of {rounds} (s) | wall time | sequential / fleet |");
    report.AppendLine("|---|---|---|");
    report.AppendLine($"| 20 x `schemaops migrate`, one after the other | {Median(sequential):0.000} | 1.00 |");
    report.AppendLine($"| `schemaops migrate --targets` (4 at a time) | {Median(parallel):0.000} | {Median(sequential) / Median(parallel):0.00} |");
}
// Lock report on a server with 200 sessions: a blocking chain (an idle-in-transaction UPDATE, an ALTER TABLE
// queued behind it, 48 SELECTs queued behind the ALTER) and 150 idle sessions. `schemaops locks` (process
// start included) against psql running the usual wiki query over pg_locks / pg_blocking_pids.
if (parts.Contains("locks"))
{
    var db = await pg.CreateDatabaseAsync();
    await Sql(db, "CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 0)");
    var sessions = new List<NpgsqlConnection>();
    async Task<NpgsqlConnection> Open()
    {
        var c = new NpgsqlConnection(pg.ConnectionString(db) + ";Pooling=false");
        await c.OpenAsync();
        sessions.Add(c);
        return c;
    }
    await new NpgsqlCommand("BEGIN; UPDATE accounts SET balance = 1 WHERE id = 1", await Open()).ExecuteNonQueryAsync();
    var pending = new List<Task> { new NpgsqlCommand("ALTER TABLE accounts ADD COLUMN note text", await Open()).ExecuteNonQueryAsync() };
    await Task.Delay(200);
    for (var i = 0; i < 48; i++) pending.Add(new NpgsqlCommand("SELECT count(*) FROM accounts", await Open()).ExecuteScalarAsync());
    for (var i = 0; i < 150; i++) await Open();
    await Task.Delay(500);
    var url = $"postgres://postgres@127.0.0.1:{pg.Port}/{db}";
    const string Wiki = "SELECT a.pid, a.usename, a.application_name, a.state, l.mode, l.locktype, l.relation::regclass, pg_blocking_pids(a.pid), a.query " +
                        "FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid WHERE cardinality(pg_blocking_pids(a.pid)) > 0 OR a.pid IN (SELECT unnest(pg_blocking_pids(pid)) FROM pg_stat_activity)";
    var locksNative = new List<double>();
    var locksPsql = new List<double>();
    for (var round = 0; round <= rounds; round++)
    {
        var n = Run(native, ["locks", "--url", url, "--json"], env);
        var p = Run(psql, ["-X", "-q", "-d", url, "-c", Wiki], env);
        if (round == 0) continue;
        locksNative.Add(n);
        locksPsql.Add(p);
    }
    var count = await CountRows(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()");
    report.AppendLine($"| lock report, {count} sessions in the database, 50 of them in a blocking chain, median of {rounds} (s) | wall time | schemaops / tool |");
    report.AppendLine("|---|---|---|");
    report.AppendLine($"| `schemaops locks --json` (native) | {Median(locksNative):0.000} | 1.00 |");
    report.AppendLine($"| psql with the usual pg_locks / pg_blocking_pids query | {Median(locksPsql):0.000} | {Median(locksNative) / Median(locksPsql):0.00} |");
    await new NpgsqlCommand("ROLLBACK", sessions[0]).ExecuteNonQueryAsync();
    await Task.WhenAll(pending);
    foreach (var c in sessions) await c.DisposeAsync();
}
// Backup of a database of at least 1 GB: raw pg_dump against `schemaops backup` (same custom format), which
// also reads the schema snapshot in the exported snapshot while pg_dump runs, checks the archive with
// pg_restore --list and hashes it. Rounds alternate the order; files are deleted between runs.
if (parts.Contains("backup"))
{
    var db = await pg.CreateDatabaseAsync();
    await Sql(db, "CREATE TABLE orders AS SELECT g AS id, now() - g * interval '1 second' AS placed_at, md5(g::text) AS customer, md5((g * 7)::text) || md5((g * 13)::text) AS note, (g % 1000) * 1.5 AS amount FROM generate_series(1, 7000000) g");
    await Sql(db, "ALTER TABLE orders ADD PRIMARY KEY (id); CREATE INDEX orders_customer ON orders (customer)");
    await Sql(db, "VACUUM ANALYZE orders"); // VACUUM runs on its own, outside any transaction
    var size = await CountRows(db, "SELECT pg_database_size(current_database())");
    var url = $"postgres://postgres@127.0.0.1:{pg.Port}/{db}";
    var pgDump = pg.Installation.Tool("pg_dump");
    var dumpEnv = new Dictionary<string, string>(env) { ["PGHOST"] = "127.0.0.1", ["PGPORT"] = pg.Port.ToString(), ["PGUSER"] = "postgres", ["PGDATABASE"] = db };
    var raw = new List<double>();
    var exact = new List<double>();
    var estimated = new List<double>();
    var backups = Path.Combine(work, "backups");
    Directory.CreateDirectory(backups);
    for (var round = 0; round <= rounds; round++)
    {
        void Clean() { foreach (var f in Directory.GetFiles(backups)) File.Delete(f); }
        double Raw() { Clean(); return Run(pgDump, ["-Fc", "-f", Path.Combine(backups, "raw.dump")], dumpEnv); }
        double Ours(string rows) { Clean(); return Run(native, ["backup", "--url", url, "--out", Path.Combine(backups, "ours.dump"), "--row-counts", rows], env); }
        double r, e, m;
        if (round % 2 == 0) { r = Raw(); e = Ours("exact"); m = Ours("estimated"); }
        else { m = Ours("estimated"); e = Ours("exact"); r = Raw(); }
        if (round == 0) continue;
        raw.Add(r);
        exact.Add(e);
        estimated.Add(m);
        Console.WriteLine($"  backup round {round}: pg_dump {r:0.00} s, schemaops exact {e:0.00} s, estimated {m:0.00} s");
    }
    report.AppendLine($"| backup of a {size / 1048576.0 / 1024:0.00} GB database (custom format), median of {rounds} (s) | wall time | schemaops / pg_dump |");
    report.AppendLine("|---|---|---|");
    report.AppendLine($"| `pg_dump -Fc` | {Median(raw):0.00} | 1.00 |");
    report.AppendLine($"| `schemaops backup` (snapshot with exact row counts, list check, SHA-256) | {Median(exact):0.00} | {Median(exact) / Median(raw):0.00} |");
    report.AppendLine($"| `schemaops backup --row-counts estimated` | {Median(estimated):0.00} | {Median(estimated) / Median(raw):0.00} |");
}
if (parts.Contains("ephemeral")) await EphemeralBench.RunAsync(pg.Installation, rounds, report, Median);
if (parts.Contains("lint")) LintBench.Run(native, Environment.GetEnvironmentVariable("SCHEMAOPS_SQUAWK")!, rounds, work, report, Median);
Console.WriteLine();
Console.WriteLine(report);
Summary.Write(Path.Combine(Environment.CurrentDirectory, "bench", "RESULTS.md"));
if (Directory.Exists(work)) Directory.Delete(work, true);

static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

static double Run(string file, string[] args, Dictionary<string, string> env) => Exec(file, args, env, okExit: 0).Seconds;

// A check's exit code (0 clean, 1 it found something).
static int RunExit(string file, string[] args, Dictionary<string, string> env) => Exec(file, args, env, okExit: 1).ExitCode;

// A process that prints its own elapsed seconds last (pwsh timing a cmdlet without its own start).
static double RunTimingItself(string file, string[] args, Dictionary<string, string> env) =>
    double.Parse(Exec(file, args, env, okExit: 0).Stdout.Trim().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture);

// Runs a process to its end: wall time, exit code and output; an exit code above okExit is a failure.
static (double Seconds, int ExitCode, string Stdout) Exec(string file, string[] args, Dictionary<string, string> env, int okExit)
{
    var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in args) psi.ArgumentList.Add(a);
    foreach (var (k, v) in env) psi.Environment[k] = v;
    var watch = Stopwatch.StartNew();
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    var elapsed = watch.Elapsed.TotalSeconds;
    if (p.ExitCode > okExit) throw new Exception($"{file} {string.Join(' ', args)} failed ({p.ExitCode}):\n{stderr.Result}\n{stdout.Result}");
    return (elapsed, p.ExitCode, stdout.Result);
}

async Task Sql(string db, string sql)
{
    await using var conn = new NpgsqlConnection(pg.ConnectionString(db) + ";Pooling=false;Command Timeout=0"); // data generation takes minutes
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, conn);
    await cmd.ExecuteNonQueryAsync();
}

async Task<long> CountRows(string db, string query)
{
    await using var conn = new NpgsqlConnection(pg.ConnectionString(db) + ";Pooling=false");
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand(query, conn);
    return (long)(await cmd.ExecuteScalarAsync())!;
}
