using System.Globalization;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Output;

namespace CclAgent.Watch.Notify;

/// <summary>Posts alerts, early-stop advice and the phases a person must act on (DIVERGING, STALLED, CONVERGED).</summary>
public sealed class NotifySink(Notifier queue, string logName) : IWatchEventSink
{
    public void Emit(WatchEvent watchEvent)
    {
        string? text = watchEvent switch
        {
            AlertEvent a => string.Create(CultureInfo.InvariantCulture, $"ccl-agent watch {logName}: {a.Kind} at line {a.Line}: {a.Message}"),
            AdviceEvent v => string.Create(CultureInfo.InvariantCulture, $"ccl-agent watch {logName}: early-stop advice at line {v.Line}: {v.Message}"),
            PhaseChangeEvent { To: TrainingPhase.Diverging or TrainingPhase.Stalled or TrainingPhase.Converged } p =>
                string.Create(CultureInfo.InvariantCulture, $"ccl-agent watch {logName}: {TrainingPhases.Name(p.To)} at line {p.Line}: {p.Reason}"),
            _ => null,
        };
        if (text is not null)
        {
            queue.Enqueue(new Notification(text, WatchEventJson.Serialize(watchEvent)));
        }
    }
}
