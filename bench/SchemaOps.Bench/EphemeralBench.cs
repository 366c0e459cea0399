using System.Diagnostics;
using System.Text;
using Npgsql;
using SchemaOps.Engine.Ephemeral;

/// <summary>
/// How fast a throwaway PostgreSQL accepts connections: SchemaOps' ephemeral server cold (no template:
/// initdb first) and warm (template cached: a copy), side by side with the same done by hand (initdb +
/// pg_ctl start -w; a copied data folder + pg_ctl start -w), all as the postgres OS user when root.
/// </summary>
static class EphemeralBench
{
    public static async Task RunAsync(PostgresInstallation installation, int rounds, StringBuilder report, Func<List<double>, double> median)
    {
        report.AppendLine($"| a throwaway PostgreSQL {installation.MajorVersion} accepting connections, median of {rounds} (s) | SchemaOps | by hand | SchemaOps / by hand |");
        report.AppendLine("|---|---|---|---|");
        // Both sides in the same file system: where SchemaOps puts clusters by default (memory when /dev/shm
        // has room), and on disk (the temp folder: where it goes when memory is short or data is big).
        var places = new List<(string Label, string Parent)>();
        if (Path.GetDirectoryName(EphemeralStorage.Choose()) is { } chosen && chosen != Path.GetTempPath().TrimEnd('/')) places.Add(($"in memory ({chosen}, the default)", chosen));
        places.Add(($"on disk ({Path.GetTempPath().TrimEnd('/')})", Path.GetTempPath()));
        foreach (var (label, parent) in places)
        {
            var cold = new List<double>();
            var warm = new List<double>();
            var byHandCold = new List<double>();
            var byHandWarm = new List<double>();
            var root = Directory.CreateDirectory(Path.Combine(parent, "schemaops-bench-ephemeral")).FullName;
            Chown(root);
            for (var round = 0; round <= rounds; round++) // round 0 warms the file cache and the JIT and is not counted
            {
                var baseDir = Path.Combine(root, $"base{round}");
                var c = await TimeStart(installation, baseDir);   // no template yet in this base folder: initdb, then copy and start
                var w = await TimeStart(installation, baseDir);   // the template is there now
                var (hc, hw) = ByHand(installation, Path.Combine(root, $"hand{round}"));
                Directory.Delete(baseDir, true);
                if (round == 0) continue;
                cold.Add(c); warm.Add(w); byHandCold.Add(hc); byHandWarm.Add(hw);
                Console.WriteLine($"  ephemeral {label} round {round}: cold {c:0.000} s, warm {w:0.000} s; by hand: initdb + pg_ctl {hc:0.000} s, copy + pg_ctl {hw:0.000} s");
            }
            Directory.Delete(root, true);
            report.AppendLine($"| {label}, cold: no template (initdb, then start) | {median(cold):0.000} | {median(byHandCold):0.000} (`initdb` + `pg_ctl start -w`) | {median(cold) / median(byHandCold):0.00} |");
            report.AppendLine($"| {label}, warm: template cached (copy, then start) | {median(warm):0.000} | {median(byHandWarm):0.000} (`cp -a` + `pg_ctl start -w`) | {median(warm) / median(byHandWarm):0.00} |");
            if (label.Contains("the default"))
            {
                Summary.AtMost("throwaway PostgreSQL, warm start under 0.3 s (the default place)", median(warm), 0.3, "s");
                Summary.AtMost("throwaway PostgreSQL, cold start under 1.5 s (the default place)", median(cold), 1.5, "s");
            }
        }
        report.AppendLine();
    }

    /// <summary>From the call to the first successful query, then disposed (not timed).</summary>
    private static async Task<double> TimeStart(PostgresInstallation installation, string baseDir)
    {
        var watch = Stopwatch.StartNew();
        await using var pg = await EphemeralPostgres.StartAsync(new EphemeralOptions(installation.BinDirectory, baseDir));
        await using (var conn = new NpgsqlConnection(pg.ConnectionString() + ";Pooling=false"))
        {
            await conn.OpenAsync();
            await new NpgsqlCommand("SELECT 1", conn).ExecuteScalarAsync();
        }
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>What an ops engineer types: initdb with the same fast settings, pg_ctl start -w; then a copy of that cluster started the same way.</summary>
    private static (double Cold, double Warm) ByHand(PostgresInstallation pg, string dir)
    {
        Directory.CreateDirectory(dir);
        Chown(dir);
        var data = Path.Combine(dir, "data");
        var copy = Path.Combine(dir, "copy");
        var opts = "-c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var watch = Stopwatch.StartNew();
        AsPostgres(pg.Tool("initdb"), "-D", data, "-U", "postgres", "--auth", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
        AsPostgres(pg.Tool("pg_ctl"), "-D", data, "-w", "-o", $"-p {FreePort()} {opts}", "-l", Path.Combine(dir, "log"), "start");
        var cold = watch.Elapsed.TotalSeconds;
        AsPostgres(pg.Tool("pg_ctl"), "-D", data, "-m", "immediate", "stop");
        watch.Restart();
        AsPostgres("cp", "-a", data, copy);
        AsPostgres(pg.Tool("pg_ctl"), "-D", copy, "-w", "-o", $"-p {FreePort()} {opts}", "-l", Path.Combine(dir, "log2"), "start");
        var warm = watch.Elapsed.TotalSeconds;
        AsPostgres(pg.Tool("pg_ctl"), "-D", copy, "-m", "immediate", "stop");
        Directory.Delete(dir, true);
        return (cold, warm);
    }

    private static void AsPostgres(string file, params string[] args)
    {
        var root = Environment.UserName == "root";
        var psi = new ProcessStartInfo(root ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (root) foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new Exception($"{file} {string.Join(' ', args)} failed: {err.Result}");
    }

    private static void Chown(string dir)
    {
        if (Environment.UserName == "root") Process.Start("chown", ["postgres", dir])!.WaitForExit();
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
