namespace CclAgent.Memory;

/// <summary>
/// Who runs an unfinished run and when it last showed life: the host and process id that opened it, and the time of
/// its last recorded trial (the heartbeat). A run whose process is gone or whose heartbeat is old was interrupted.
/// </summary>
public sealed record RunLiveness
{
    public required string RunId { get; init; }

    public required string Host { get; init; }

    public required int Pid { get; init; }

    public required DateTimeOffset HeartbeatAt { get; init; }
}
