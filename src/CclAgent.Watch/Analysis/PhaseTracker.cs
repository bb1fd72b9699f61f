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
    private long _records;
    private long _lastTrendSwitch = long.MinValue / 2;
    private int _damping;
    private TrainingPhase? _lastTrendLeft;

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
        _records++;
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
        bool dwellDone = first || RecordsInPhase >= DwellFor(phase);
        int confirm = first ? Math.Max(2, settings.ConfirmRecords / 5) : settings.ConfirmRecords;
        if (!urgent && (_candidateCount < confirm || !dwellDone))
        {
            return null;
        }

        return Switch(phase, reason, line, step);
    }

    /// <summary>
    /// Flap damping between the trend phases (LEARNING_FAST, STABLE_CONVERGENCE, PLATEAU): a noisy loss near a threshold
    /// would otherwise cross it back and forth. Each change back to the phase the previous change left, within eight
    /// windows, doubles the dwell the next trend change needs (up to 8×); eight windows without a flap undo it. Changes
    /// to and from the other phases (DIVERGING, OVERFITTING_RISK, WARMUP, CONVERGED…) are never damped.
    /// </summary>
    private long DwellFor(TrainingPhase proposed) =>
        IsTrend(Current) && IsTrend(proposed) ? (long)settings.MinDwellRecords << _damping : settings.MinDwellRecords;

    private static bool IsTrend(TrainingPhase phase) =>
        phase is TrainingPhase.LearningFast or TrainingPhase.StableConvergence or TrainingPhase.Plateau;

    private void Damp(TrainingPhase from, TrainingPhase to)
    {
        if (!IsTrend(from) || !IsTrend(to))
        {
            return;
        }

        long since = _records - _lastTrendSwitch;
        long flapWindow = 8L * settings.Window;
        bool flap = to == _lastTrendLeft && since < flapWindow + ((long)settings.MinDwellRecords << _damping);
        _damping = flap ? Math.Min(_damping + 1, 3) : since > flapWindow ? 0 : _damping;
        _lastTrendSwitch = _records;
        _lastTrendLeft = from;
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
        Damp(Current, phase);
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
