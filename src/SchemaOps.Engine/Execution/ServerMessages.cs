using Npgsql;
using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Execution;

/// <summary>
/// What the server says while a script runs, relayed as Flyway prints it: a backfill's RAISE NOTICE progress, "relation
/// ... already exists, skipping", and warnings such as a COMMIT canceled while it waited for a synchronous standby
/// ("committed locally, but might not have been replicated"). Warnings become warnings, the rest verbose output, each
/// with the script's label. Npgsql raises them on its reading thread; every sink queues or locks.
/// </summary>
internal sealed class ServerMessages : IDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _label;
    private readonly IOperationSink _sink;

    private ServerMessages(NpgsqlConnection connection, string label, IOperationSink sink)
    {
        (_connection, _label, _sink) = (connection, label, sink);
        _connection.Notice += OnNotice;
    }

    /// <summary>Relays the server's messages on <paramref name="connection"/> until disposed.</summary>
    public static ServerMessages Relay(NpgsqlConnection connection, string label, IOperationSink sink) => new(connection, label, sink);

    private void OnNotice(object sender, NpgsqlNoticeEventArgs e)
    {
        var notice = e.Notice;
        var text = $"{_label}: server {notice.Severity}: {notice.MessageText}" + (notice.Detail is { Length: > 0 } detail ? $" ({detail})" : "");
        if (notice.InvariantSeverity == "WARNING") _sink.WriteWarning(text);
        else _sink.WriteVerbose(text);
    }

    public void Dispose() => _connection.Notice -= OnNotice;
}
