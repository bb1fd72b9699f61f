namespace CclAgent.Watch.Events;

/// <summary>Receives watch events in order (console, JSON lines, notifications).</summary>
public interface IWatchEventSink
{
    void Emit(WatchEvent watchEvent);
}
