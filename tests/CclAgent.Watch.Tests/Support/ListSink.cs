using CclAgent.Watch.Events;

namespace CclAgent.Watch.Tests.Support;

/// <summary>Collects events in order.</summary>
internal sealed class ListSink : IWatchEventSink
{
    public List<WatchEvent> Events { get; } = [];

    public IEnumerable<PhaseChangeEvent> Changes => Events.OfType<PhaseChangeEvent>();

    public IEnumerable<AlertEvent> Alerts => Events.OfType<AlertEvent>();

    public void Emit(WatchEvent watchEvent) => Events.Add(watchEvent);
}
