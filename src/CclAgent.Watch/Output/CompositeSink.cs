using CclAgent.Watch.Events;

namespace CclAgent.Watch.Output;

/// <summary>Sends every event to several sinks, in order.</summary>
public sealed class CompositeSink(IReadOnlyList<IWatchEventSink> sinks) : IWatchEventSink
{
    public void Emit(WatchEvent watchEvent)
    {
        foreach (IWatchEventSink sink in sinks)
        {
            sink.Emit(watchEvent);
        }
    }
}
