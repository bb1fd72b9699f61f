namespace CclAgent.Watch.Notify;

/// <summary>Delivery limits: queue size, attempts, backoff, per-request timeout, how long to flush on exit.</summary>
public sealed record NotificationOptions
{
    /// <summary>Pending notifications kept; beyond this the oldest are dropped (parsing never waits on the network).</summary>
    public int Capacity { get; init; } = 64;

    public int Attempts { get; init; } = 3;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
