using CclAgent.Watch.Events;

namespace CclAgent.Watch.Output;

/// <summary><c>--json</c>: every event as one JSON line, flushed at once so a pipe sees it immediately.</summary>
public sealed class JsonLinesSink(TextWriter output) : IWatchEventSink
{
    public void Emit(WatchEvent watchEvent)
    {
        output.WriteLine(WatchEventJson.Serialize(watchEvent));
        output.Flush();
    }
}
