using System.Globalization;
using System.Text.Json;
using CclAgent.Core.Tracing;

namespace CclAgent.Tuning.Resuming;

/// <summary>
/// Where a resumed run stops replaying and starts measuring. Until then the trace is muted (those events are in the
/// file already, from before the interruption); once reached, one <c>resume</c> event marks the seam.
/// </summary>
public sealed class ResumePoint(TraceWriter trace, RecordedRun recorded)
{
    private int _replayed;

    public RecordedRun Recorded => recorded;

    public bool Reached { get; private set; }

    /// <summary><c>replay</c>: every step must come from the record; one the record lacks is a divergence, never a job run.</summary>
    public bool ReplayOnly { get; init; }

    /// <summary>Counts a step served from the record instead of the job.</summary>
    public void Replayed() => _replayed++;

    /// <summary>Unmutes the trace and records the seam; later calls do nothing.</summary>
    public void Reach(int nextStep)
    {
        if (Reached)
        {
            return;
        }

        Reached = true;
        trace.Muted = false;
        trace.Emit(new TraceEntry("resume", "online", "loop")
        {
            Step = nextStep,
            Payload = JsonSerializer.SerializeToElement(
                new Dictionary<string, string>
                {
                    ["replayed_steps"] = _replayed.ToString(CultureInfo.InvariantCulture),
                    ["recorded_steps"] = recorded.StepCount.ToString(CultureInfo.InvariantCulture),
                },
                Json.TuningJsonContext.Default.DictionaryStringString),
        });
    }
}
