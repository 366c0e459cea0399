using Npgsql;
using SchemaOps.Engine.Connections;
using SchemaOps.Engine.Execution;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Operations;

/// <summary>An open connection to the target, with the managed schemas, the layout and its history table resolved.</summary>
internal sealed class MigrationSession(NpgsqlConnection connection, ConnectionTarget target, IReadOnlyList<string> schemas, HistoryStore history, int serverVersionNum,
    IReadOnlyList<MigrationScript> scripts, CallbackSet callbacks, int backendPid, string? searchPath, IReadOnlyList<string> sessionSettings)
    : IAsyncDisposable
{
    /// <summary>The session-level settings this session made when it opened (a direct connection only): what a script's RESET ALL must be followed by.</summary>
    public IReadOnlyList<string> SessionSettings { get; } = sessionSettings;

    /// <summary>
    /// With a default schema (-Schema / flyway.schemas): the search path every migration and callback runs with, that
    /// schema first (as Flyway does). Each transaction sets it for itself (SET LOCAL); a direct connection's session
    /// has it too, for what runs outside a transaction. A pooler's session never gets it: a session setting stays
    /// with the server process that ran it, missing from our next transactions and handed to its next clients.
    /// </summary>
    public string? SearchPath { get; } = searchPath;

    /// <summary>
    /// The server process this session's first transaction ran in (pg_backend_pid). Npgsql's ProcessID is what the
    /// server said at startup, which a pooler makes up: the real one is asked for.
    /// </summary>
    public int BackendPid { get; } = backendPid;

    public NpgsqlConnection Connection { get; } = connection;
    public ConnectionTarget Target { get; } = target;
    public IReadOnlyList<string> Schemas { get; } = schemas;
    public HistoryStore History { get; } = history;
    public MigrationLayout Layout => History.Layout;
    public int ServerVersionNum { get; } = serverVersionNum;

    /// <summary>Flyway's mixed, from the settings the session was opened with (<see cref="Prepare"/>).</summary>
    public bool Mixed { get; private init; }

    /// <summary>Whether pending versions older than the newest applied one are applied: as said, else as the layout's own tool does (dbmate: yes).</summary>
    public bool OutOfOrder => OutOfOrderSaid ?? Layout == MigrationLayout.Dbmate;

    private bool? OutOfOrderSaid { get; init; }

    /// <summary>A script split and its transaction mode decided, for this server and these settings.</summary>
    public PreparedScript Prepare(MigrationScript script) => PreparedScript.Prepare(script, ServerVersionNum, Mixed);

    /// <summary>The local scripts, placeholders replaced: what every operation plans and runs with.</summary>
    public IReadOnlyList<MigrationScript> Scripts { get; } = scripts;
    /// <summary>The SQL callbacks, placeholders replaced.</summary>
    public CallbackSet Callbacks { get; } = callbacks;

    /// <summary>Guards every transaction that changes the history (exactly once behind poolers too).</summary>
    public Execution.HistoryGuard Guard { get; } = new(history, history.LockKey(connection.Database));

    /// <summary>
    /// A runner of scripts on this session, with what the session decided for every transaction (its guard, search path
    /// and session settings); <paramref name="callbacks"/> gives the beforeEach/afterEach scripts of migrations.
    /// </summary>
    public ScriptExecutor NewExecutor(string? installedBy, LockSafety safety, IOperationSink sink, LockWatch? watch = null, OperationCallbacks? callbacks = null) =>
        new(Connection, History, installedBy, safety, sink)
        {
            Guard = Guard, SearchPath = SearchPath, SessionSettings = SessionSettings,
            Watch = watch, BeforeEach = callbacks?.BeforeEach ?? [], AfterEach = callbacks?.AfterEach ?? [],
        };

    /// <summary>
    /// Connects and resolves where the history lives and in which layout. <paramref name="scanned"/> holds
    /// the local scripts (none for operations that read no folder) and the layout they were read in.
    /// </summary>
    public static Task<MigrationSession> OpenAsync(ConnectionTarget target, MigrationSettings settings, ScannedMigrations scanned, IOperationSink sink, CancellationToken ct) =>
        OpenAsync(Connect(target, sink, ct), target, settings, scanned, sink, ct);

    /// <summary>The connection a session starts from, with the target's connect retries.</summary>
    public static Task<NpgsqlConnection> Connect(ConnectionTarget target, IOperationSink sink, CancellationToken ct) =>
        target.OpenAsync("reading the migration history", sink, ct);

    /// <summary>The same, on a connection already being opened (<see cref="Connect"/>), for instance while the folders were read.</summary>
    public static async Task<MigrationSession> OpenAsync(Task<NpgsqlConnection> connecting, ConnectionTarget target, MigrationSettings settings, ScannedMigrations scanned,
        IOperationSink sink, CancellationToken ct)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await connecting.ConfigureAwait(false);
            var versionNum = int.Parse((string)(await connection.ScalarAsync("SHOW server_version_num", ct).ConfigureAwait(false))!);
            var backendPid = await connection.BackendPidAsync(ct).ConfigureAwait(false);
            // A pooler makes up the process id it reports (BehindPoolerAsync): no session setting there, it would outlive us.
            var direct = !Poolers.MadeUpProcessId(connection, backendPid);
            var sessionSettings = new List<string>();
            async Task SetAsync(string setting)
            {
                await connection.ExecuteAsync(setting, ct).ConfigureAwait(false);
                sessionSettings.Add(setting);
            }
            if (settings.InitSql is { } initSql && !string.IsNullOrWhiteSpace(initSql)) // flyway.initSql= says nothing
                await InitAsync(initSql).ConfigureAwait(false);
            async Task InitAsync(string initSql)
            {
                // Behind a transaction pooler a session's role would stay on a server process other clients share, and the
                // next transaction may run on another one without it.
                if (!direct)
                    throw new SchemaOpsException(ErrorCatalog.InitSqlBehindPooler,
                        $"initSql sets up the session, and {target.Display} is a connection pooler, where each transaction may run in another session: " +
                        "connect to the server directly, or do it in each migration's transaction (SET LOCAL ROLE in a beforeEachMigrate callback)", target: target.Display);
                try
                {
                    await SetAsync(initSql).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    // Its text is not repeated: it may hold a secret. No inner exception either, for the same reason.
                    throw new SchemaOpsException(ErrorCatalog.InitSqlFailed,
                        $"the initSql setting failed on {target.Display}: {e.SqlState}: {e.MessageText}. Nothing was changed", target: target.Display);
                }
            }
            if (versionNum >= 140000 && direct)
                // Lets the server notice a dead client during a long statement, so a killed runner's
                // transaction rolls back and its lock frees promptly.
                await SetAsync("SET client_connection_check_interval = 2000").ConfigureAwait(false);

            var serverSearchPath = (string)(await connection.ScalarAsync("SHOW search_path", ct).ConfigureAwait(false))!;
            IReadOnlyList<string> schemas = settings.Schemas;
            string? searchPath = null;
            // A URL's search_path travels as a startup parameter, which a pooler told to ignore it (PgBouncer's
            // ignore_startup_parameters, the usual fix for its "unsupported startup parameter") drops without a word:
            // the history would be looked for, and created, elsewhere. Then it is set in each transaction, as -Schema's is.
            if (!direct && target.SearchPath is { } asked && FirstSchemaOf(asked) != FirstSchemaOf(serverSearchPath))
            {
                sink.WriteVerbose($"the connection pooler dropped the URL's search_path ({asked}; the session has {serverSearchPath}): it is set in each transaction");
                serverSearchPath = asked;
                if (schemas.Count == 0) searchPath = asked;
            }
            if (schemas.Count > 0)
            {
                searchPath = $"{HistoryTableName.Quote(schemas[0])}, {serverSearchPath}";
                if (direct) await SetAsync($"SET search_path TO {searchPath}").ConfigureAwait(false);
            }
            else
                schemas = [FirstSchemaOf(serverSearchPath) ?? await connection.ScalarAsync("SELECT current_schema()", ct).ConfigureAwait(false) as string
                    ?? throw Errors.Parameter(ErrorCatalog.NoCurrentSchema, $"{target.Display} has no current schema (no schema on the search_path exists): pass -Schema / --schema")];
            var history = await HistoryLocator.LocateAsync(connection, target, schemas[0], settings, scanned, ct).ConfigureAwait(false);
            var values = await PlaceholderValuesAsync(connection, settings, scanned, schemas[0], history, ct).ConfigureAwait(false);
            sink.WriteVerbose($"{history.Layout} history in {history.Name}" +
                              (scanned.Scripts.Count > 0 ? $"; {scanned.Scripts.Count} local script(s)" : ""));
            var (scripts, callbacks) = values is null ? (scanned.Scripts, scanned.Callbacks)
                : (scanned.Scripts.Select(s => Placeholders.Apply(s, values)).ToList(), scanned.Callbacks.Select(s => Placeholders.Apply(s, values)));
            return new MigrationSession(connection, target, schemas, history, versionNum, scripts, callbacks, backendPid, searchPath, sessionSettings)
                { Mixed = settings.Mixed, OutOfOrderSaid = settings.OutOfOrder };
        }
        catch (Exception e)
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            throw DatabaseErrors.Translate(e, target, "connecting");
        }
    }

    /// <summary>The placeholder values for this run; null when there is nothing to replace.</summary>
    private static async Task<Dictionary<string, string>?> PlaceholderValuesAsync(NpgsqlConnection connection, MigrationSettings settings,
        ScannedMigrations scanned, string defaultSchema, HistoryStore history, CancellationToken ct)
    {
        if (!settings.PlaceholderReplacement || !scanned.Scripts.Concat(scanned.Callbacks.All).Any(s => s.Text.Contains("${", StringComparison.Ordinal))) return null;
        var cmd = new NpgsqlCommand("SELECT current_user, current_database()", connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return Placeholders.Values(settings.Placeholders, defaultSchema, r.GetString(0), r.GetString(1), history.Name.Table, settings.Environment);
    }

    /// <summary>
    /// The first schema the search path names, whether or not it exists yet (dbmate and Flyway both create it):
    /// null for the default "$user" entry, which falls back to the current schema.
    /// </summary>
    internal static string? FirstSchemaOf(string searchPath)
    {
        var first = searchPath.Split(',')[0].Trim();
        if (first.Length == 0 || first == "\"$user\"") return null;
        return first.Length > 1 && first[0] == '"' && first[^1] == '"' ? first[1..^1].Replace("\"\"", "\"") : first;
    }

    public async Task<List<string>> MissingSchemasAsync(CancellationToken ct)
    {
        var cmd = new NpgsqlCommand("SELECT s FROM unnest($1::text[]) s WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = s)", Connection)
        { Parameters = { new() { Value = Schemas.ToArray() } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        var missing = new List<string>();
        var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using var rScope = r.ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) missing.Add(r.GetString(0));
        return missing;
    }

    /// <summary>Whether the schema holds any relation, routine or type (as Flyway judges "non-empty").</summary>
    public async Task<bool> SchemaHasObjectsAsync(string schema, CancellationToken ct)
    {
        var cmd = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1)
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1)
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                           WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r', 'm') )
            """, Connection) { Parameters = { new() { Value = schema } } };
        await using var cmdScope = cmd.ConfigureAwait(false);
        return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>The history rows, or none when the table does not exist yet; a table not shaped like the layout's is refused.</summary>
    public async Task<List<AppliedMigration>> ReadHistoryAsync(CancellationToken ct)
    {
        if (!await History.ExistsAsync(ct).ConfigureAwait(false)) return [];
        await History.CheckShapeAsync(ct).ConfigureAwait(false);
        return await History.ReadAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether this connection goes through a pooler (PgBouncer and the like): the server process id it reported at
    /// startup is not the one running our statements (poolers make one up), or our transactions run in different
    /// server processes. A transaction pooler cannot be told apart from a session pooler from here, so both are taken
    /// for the first: a session-level lock would exclude nobody and could stay held on a server process other
    /// clients share, and a script that cannot run in a transaction cannot be guarded. Asked again each time it
    /// matters, since a pooler can hand out the same server process for a while.
    /// </summary>
    public async Task<bool> BehindPoolerAsync(CancellationToken ct)
    {
        _pooled = _pooled || Poolers.MadeUpProcessId(Connection, BackendPid) || await Connection.BackendPidAsync(ct).ConfigureAwait(false) != BackendPid;
        return _pooled;
    }

    private bool _pooled;

    /// <summary>What <see cref="BehindPoolerAsync"/> last found, without asking again.</summary>
    public bool SeenBehindPooler => _pooled;

    /// <summary>A migration that must run outside a transaction is refused behind a pooler: nothing could keep another runner from running it too.</summary>
    public async Task RefuseBehindPoolerAsync(PreparedScript p, CancellationToken ct)
    {
        if (await BehindPoolerAsync(ct).ConfigureAwait(false))
            throw new SchemaOpsException(ErrorCatalog.NonTransactionalBehindPooler,
                $"{p.Script.DisplayPath} must run outside a transaction ({p.NoTransactionReason}), and {Target.Display} is reached through a connection pooler " +
                "(PgBouncer or the like), where nothing can keep another runner from running it at the same time; everything before it was applied. " +
                "Apply it over a direct connection to the server (the pooler's own port is fine for every migration that runs in a transaction).",
                p.Script.DisplayPath, version: p.Script.Version?.Text);
    }

    /// <summary>
    /// Where the history may be when it is not where looked: with no schema named (a config's schemas= forgotten on the
    /// command line), another schema holding a table of the history's name. Null when a schema was named or none holds one.
    /// Asked only when the history table is missing here.
    /// </summary>
    public async Task<string?> HistoryElsewhereAsync(MigrationSettings settings, CancellationToken ct)
    {
        if (settings.Schemas.Count > 0) return null;
        var found = await HistoryLocator.OtherSchemasHoldingAsync(Connection, History.Name, ct).ConfigureAwait(false);
        return found is [var first, ..]
            ? $"{Target.Display} has no {History.Name}, but {string.Join(", ", found.Select(s => History.Name with { Schema = s }))} exists: its migrations are " +
              $"probably recorded there. Name that schema (-Schema {first} / --schema {first} / schemas in the config)"
            : null;
    }

    /// <summary>
    /// The history rows to plan changes from, and in the same snapshot the state the <see cref="Guard"/> then
    /// expects: a change made by anyone after this read stops the first transaction that would act on it.
    /// </summary>
    public async Task<List<AppliedMigration>> ReadHistoryToChangeAsync(CancellationToken ct)
    {
        Guard.Expected = null;
        if (!await History.ExistsAsync(ct).ConfigureAwait(false)) return [];
        await History.CheckShapeAsync(ct).ConfigureAwait(false);
        var tx = await Connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var rows = await History.ReadAsync(ct).ConfigureAwait(false);
        await Guard.ReadExpectedAsync(Connection, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Said before a run's first commit: every commit here waits for a synchronous standby that is not streaming
    /// (<see cref="Diagnostics.SynchronousReplication"/>), so the run would seem to hang with nothing said.
    /// </summary>
    public async Task WarnIfCommitsWaitAsync(IOperationSink sink, CancellationToken ct)
    {
        if (await Diagnostics.SynchronousReplication.ReadAsync(Connection, ct).ConfigureAwait(false) is { Stalls: true } stalled)
            sink.WriteWarning($"{Target.Display}: {stalled.Detail}. This run will wait at its first commit");
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
