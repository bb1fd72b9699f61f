using CclAgent.Watch.Events;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// Hysteresis: a proposed phase must be proposed for <see cref="WatchSettings.ConfirmRecords"/> records in a row (a fifth of
/// that to leave INITIALIZING), and the
/// current phase must have lasted <see cref="WatchSettings.MinDwellRecords"/>, before it changes. Urgent proposals (NaN loss,
/// end of training, a stall and its end) apply at once. Keeps the spans for the summary.
/// </summary>
public sealed class PhaseTracker(WatchSettings settings)
{
    private const int MaxSpans = 1000;
    private readonly List<PhaseSpan> _spans = [];
    private TrainingPhase? _candidate;
    private int _candidateCount;
    private long _spanStartLine;
    private long? _spanStartStep;
    private long _lastLine;
    private long? _lastStep;

    public TrainingPhase Current { get; private set; } = TrainingPhase.Initializing;

    /// <summary>The line at which the current phase was entered (0 before the first change).</summary>
    public long EnteredAtLine { get; private set; }

    /// <summary>Records seen since the current phase began.</summary>
    public long RecordsInPhase { get; private set; }

    /// <summary>The phase before the current one (to return to after a stall).</summary>
    public TrainingPhase Previous { get; private set; } = TrainingPhase.Initializing;

    public void CountRecord(long line, long? step)
    {
        if (RecordsInPhase == 0 && _spanStartLine == 0)
        {
            _spanStartLine = line;
            _spanStartStep = step;
        }

        RecordsInPhase++;
        _lastLine = line;
        _lastStep = step ?? _lastStep;
    }

    /// <summary>Proposes a phase; returns the change when it happens.</summary>
    public PhaseChangeEvent? Propose(TrainingPhase phase, string reason, bool urgent, long line, long? step)
    {
        if (phase == Current)
        {
            _candidate = null;
            _candidateCount = 0;
            return null;
        }

        _candidateCount = _candidate == phase ? _candidateCount + 1 : 1;
        _candidate = phase;
        // The first reading of a run is no flip-flop to damp: a pasted excerpt of eight lines deserves one.
        bool first = Current == TrainingPhase.Initializing;
        bool dwellDone = first || RecordsInPhase >= settings.MinDwellRecords;
        int confirm = first ? Math.Max(2, settings.ConfirmRecords / 5) : settings.ConfirmRecords;
        if (!urgent && (_candidateCount < confirm || !dwellDone))
        {
            return null;
        }

        return Switch(phase, reason, line, step);
    }

    /// <summary>The spans so far, the current one closed at the last record.</summary>
    public IReadOnlyList<PhaseSpan> Spans()
    {
        var spans = new List<PhaseSpan>(_spans) { new(Current, _spanStartLine, Math.Max(_lastLine, _spanStartLine), _spanStartStep, _lastStep, RecordsInPhase) };
        return spans;
    }

    private PhaseChangeEvent Switch(TrainingPhase phase, string reason, long line, long? step)
    {
        if (_spans.Count == MaxSpans)
        {
            // A pathological log could flip forever; keep the first spans and the latest, drop the middle.
            _spans.RemoveAt(MaxSpans / 2);
        }

        _spans.Add(new PhaseSpan(Current, _spanStartLine, Math.Max(_lastLine, _spanStartLine), _spanStartStep, _lastStep, RecordsInPhase));
        var change = new PhaseChangeEvent { From = Current, To = phase, Reason = reason, Line = line, Step = step };
        Previous = Current;
        Current = phase;
        EnteredAtLine = line;
        RecordsInPhase = 0;
        _spanStartLine = line;
        _spanStartStep = step;
        _candidate = null;
        _candidateCount = 0;
        return change;
    }
}
