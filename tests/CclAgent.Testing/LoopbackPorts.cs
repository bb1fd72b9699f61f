using System.Net;
using System.Net.Sockets;

namespace CclAgent.Testing;

/// <summary>Ports on 127.0.0.1 for loopback test servers: a free one to listen on, or one nobody listens on.</summary>
public static class LoopbackPorts
{
    /// <summary>A port that was free a moment ago; connecting to it is refused.</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Starts an HttpListener on a free loopback port, retrying if another process takes the port first.</summary>
    public static (HttpListener Listener, int Port) ListenHttp()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = ClosedPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}
