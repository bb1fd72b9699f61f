using CclAgent.Watch.Events;

namespace CclAgent.Watch.Output;

/// <summary>
/// Drops events while closed. When watch joins a running job it replays the end of the existing log to learn the
/// state; what that history triggered is old news, so only the state (the next status) is shown.
/// </summary>
public sealed class GateSink(IWatchEventSink inner) : IWatchEventSink
{
    public bool Open { get; set; } = true;

    public void Emit(WatchEvent watchEvent)
    {
        if (Open)
        {
            inner.Emit(watchEvent);
        }
    }
}
