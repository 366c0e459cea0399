using System.Net;
using System.Net.Sockets;

namespace SchemaOps.Engine.Tests;

/// <summary>
/// A loopback port where nothing listens (connections are refused, as before a server starts) until
/// <see cref="Open"/>; from then on every connection is forwarded to a real PostgreSQL. Stands for a
/// server that comes up after the client started trying.
/// </summary>
public sealed class LateServer(int serverPort) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;

    /// <summary>A port free right now; nothing listens on it until <see cref="Open"/>.</summary>
    public int Port { get; } = FreePort();

    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener);
    }

    /// <summary>Opens after <paramref name="delay"/>, in the background.</summary>
    public void OpenAfter(TimeSpan delay) => _ = Task.Delay(delay, _stop.Token).ContinueWith(t => { if (!t.IsCanceled) Open(); }, TaskScheduler.Default);

    /// <summary>
    /// Listens at once but resets every connection (a network failure, as a server not up yet gives) until at least
    /// <paramref name="refusals"/> were turned away and <paramref name="delay"/> has passed; then forwards. Unlike
    /// <see cref="OpenAfter"/>, a client that starts late (a loaded machine) still meets a server that is not up.
    /// </summary>
    public void RefuseThenOpen(TimeSpan delay, int refusals)
    {
        _refusals = refusals;
        _opensAt = DateTime.UtcNow + delay;
        Open();
    }

    private int _refusals;
    private DateTime _opensAt;

    private async Task AcceptAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token);
                if (_refusals > 0 || DateTime.UtcNow < _opensAt)
                {
                    _refusals--;
                    client.Client.LingerState = new LingerOption(true, 0); // closed with a reset, not a goodbye
                    client.Close();
                    continue;
                }
                _ = ForwardAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, serverPort, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener?.Stop();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
