using System.Runtime.CompilerServices;
using CclAgent.Watch.Alerts;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch;

/// <summary>
/// Turns parsed records into events: phase changes with reasons, alerts, early-stop advice, periodic status and the
/// final summary. Math detects (EMA trends, robust z-scores, regressions); phases explain. Memory is bounded: every
/// series is a fixed-size window.
/// </summary>
public sealed class WatchEngine
{
    private readonly WatchSettings _settings;
    private readonly TimeProvider _time;
    private readonly IWatchEventSink _sink;
    private LossTracker _loss;
    private EvalTracker _eval;
    private readonly PhaseRules _rules;
    private readonly PhaseTracker _phases;
    private EtaEstimator _eta = new();
    private EarlyStopAdvisor _advisor;
    private readonly StallMonitor _stall;
    private IAlertDetector[] _detectors;
    private readonly Dictionary<string, int> _alertCounts = new(StringComparer.Ordinal);
    private const int KeptCheckpoints = 64;
    private readonly Queue<(long? Step, long Line, string Path)> _checkpoints = new();
    private LogFormat _format = LogFormat.Auto;
    private bool _formatFromLoss;
    private MetricRecord? _lastTrain;
    private long? _lastStep;
    private double? _lastEpoch;
    private long _trainRecords;
    private long _lastLine;
    private double? _previousLr;
    private double _peakLr;
    private bool _lrRising;
    private bool _finished;
    private bool _nonFinite;
    private long? _nonFiniteLine;
    private long _finiteSinceNonFinite;
    private double? _lastFiniteLoss;
    private double? _lossBeforeNonFinite;
    private int _nonFiniteGradNorms;
    private double? _lastLossScale;
    private long? _recordsSinceLrStep;
    private long? _recordsSinceLrRose;
    private bool _overfitting;
    private bool _adviceGivenInPhase;
    private long _adviceAtRecord = long.MinValue / 2;
    private AdviceEvent? _lastAdvice;
    private long _recordsSinceStatus;
    private DateTimeOffset _lastStatusAt;
    private long _rotations;

    public WatchEngine(WatchSettings settings, TimeProvider time, IWatchEventSink sink)
    {
        _settings = settings;
        _time = time;
        _sink = sink;
        _loss = new LossTracker(settings);
        _eval = new EvalTracker(settings);
        _rules = new PhaseRules(settings);
        _phases = new PhaseTracker(settings);
        _advisor = new EarlyStopAdvisor(settings);
        _stall = new StallMonitor(settings, time);
        _detectors = Detectors(settings);
        _lastStatusAt = time.GetUtcNow();
    }

    public TrainingPhase Phase => _phases.Current;

    private static IAlertDetector[] Detectors(WatchSettings settings) =>
    [
        new NonFiniteDetector(gradNorm: false), new NonFiniteDetector(gradNorm: true), SpikeDetector.ForLoss(settings),
        SpikeDetector.ForGradNorm(settings), new LossScaleDetector(), new MemoryGrowthDetector(settings), new IterationTimeDetector(settings),
    ];

    /// <summary>Alerts raised so far, by kind.</summary>
    public IReadOnlyDictionary<string, int> AlertCounts => _alertCounts;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>Feeds one parsed record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnRecord(MetricRecord record)
    {
        _lastLine = record.Line;
        TrackFormat(record);
        switch (record.Kind)
        {
            case RecordKind.Train:
                OnTrain(record);
                if (record.Eval.Count > 0)
                {
                    // One line per epoch with both (DeiT's and DETR's log.txt: train_loss, test_acc1…).
                    OnEval(record);
                }

                break;
            case RecordKind.Eval:
                OnEval(record);
                break;
            case RecordKind.Final:
                OnFinal(record);
                break;
            case RecordKind.Checkpoint:
                OnCheckpoint(record);
                break;
        }
    }

    /// <summary>New lines were read (any lines, parsed or not); ends a stall.</summary>
    public void OnActivity(long line)
    {
        _lastLine = Math.Max(_lastLine, line);
        if (_stall.Activity() && _phases.Current == TrainingPhase.Stalled)
        {
            string reason = FormattableString.Invariant($"new lines after {_stall.SilentSeconds:0} s of silence");
            Emit(_phases.Propose(_phases.Previous, reason, urgent: true, _lastLine, _lastStep));
        }
    }

    /// <summary>Checks the clock for a stall (call while following, when no new line arrived).</summary>
    public void OnIdle()
    {
        if (_finished || _stall.Check(_lastLine, _lastStep) is not AlertEvent alert)
        {
            return;
        }

        Raise(alert);
        Emit(_phases.Propose(TrainingPhase.Stalled, alert.Message.Split(';')[0], urgent: true, _lastLine, _lastStep));
    }

    /// <summary>The followed file was opened, rotated or truncated.</summary>
    public void OnFileEvent(string kind, string path, long lastLine)
    {
        if (kind is "rotated" or "truncated")
        {
            _rotations++;
        }

        _sink.Emit(new LogFileEvent { Event = kind, Path = path, Line = lastLine, Step = _lastStep });
    }

    /// <summary>Emits a status event when enough records or (while following) enough time passed.</summary>
    public void MaybeStatus(bool following)
    {
        bool byCount = _recordsSinceStatus >= _settings.StatusEveryRecords;
        bool byTime = following && _recordsSinceStatus > 0 && _time.GetUtcNow() - _lastStatusAt >= _settings.StatusInterval;
        if (byCount || byTime)
        {
            EmitStatus();
        }
    }

    /// <summary>Emits a status event now.</summary>
    public void EmitStatus()
    {
        _recordsSinceStatus = 0;
        _lastStatusAt = _time.GetUtcNow();
        _sink.Emit(Status());
    }

    /// <summary>Builds and emits the summary.</summary>
    public SummaryEvent Finish(ParseStats stats)
    {
        if (_lastAdvice is null && _phases.Current is TrainingPhase.Plateau or TrainingPhase.OverfittingRisk)
        {
            TryAdvise(force: true);
        }

        var summary = new SummaryEvent
        {
            Line = _lastLine,
            Step = _lastStep,
            Format = stats.DetectedFormat == LogFormat.Auto ? "unknown" : LogFormats.Name(stats.DetectedFormat),
            Lines = stats.Lines,
            Records = stats.Records,
            ProgressLines = stats.Progress,
            UnknownLines = stats.Unknown,
            FinalPhase = _phases.Current,
            Phases = _phases.Spans(),
            Best = _eval.Best ?? LossBest(),
            FinalLossSmoothed = _loss.Smoothed,
            Alerts = new SortedDictionary<string, int>(_alertCounts, StringComparer.Ordinal),
            Eta = _finished ? null : _eta.Estimate(),
            Advice = _lastAdvice,
            Rotations = _rotations,
        };
        _sink.Emit(summary);
        return summary;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnTrain(MetricRecord record)
    {
        if (StartsNewRun(record))
        {
            RestartSegment(record);
        }

        _lastEpoch = record.Epoch ?? _lastEpoch;
        _trainRecords++;
        _recordsSinceStatus++;
        _lastStep = record.Step ?? _lastStep;
        _lastTrain = record;
        double x = record.Step ?? _trainRecords;
        _eta.Observe(record, record.Step);
        TrackLearningRate(record.LearningRate);
        foreach (IAlertDetector detector in _detectors)
        {
            Raise(detector.Observe(record, record.Step));
        }

        _nonFinite = record.Loss is double l && !double.IsFinite(l);
        CountNonFiniteGradNorms(record);
        if (_nonFinite)
        {
            _nonFiniteLine = record.Line;
            _finiteSinceNonFinite = 0;
            _lossBeforeNonFinite ??= _lastFiniteLoss;
        }
        else if (record.Loss is double finite)
        {
            _finiteSinceNonFinite++;
            _lastFiniteLoss = finite;
        }

        if (record.Loss is double loss && double.IsFinite(loss))
        {
            _loss.Add(loss, x, record.Line);
        }

        _finished |= record.MaxStep is long max && record.Step >= max;
        if (_finished)
        {
            _eta.Finish();
        }

        _phases.CountRecord(record.Line, record.Step);
        UpdatePhase(record.Line);
    }

    /// <summary>
    /// A file that holds two runs, the second appended after the first (DETR's log.txt after a restart, a job rerun into
    /// the same log): the progress counter falls back to its start while the epoch does not advance. The series of the
    /// first run say nothing about the second, so its trends, best metric and detectors start again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StartsNewRun(MetricRecord record)
    {
        double? progress = record.Step ?? (record.Step is null && _lastStep is null ? record.Epoch : null);
        double? previous = _lastStep ?? (record.Step is null ? _lastEpoch : null);
        bool epochAdvanced = record.Step is not null && record.Epoch is double e && _lastEpoch is double last && e > last;
        return progress is double now && previous is double before && now < before && now <= Math.Max(1, before / 10) && !epochAdvanced;
    }

    private void RestartSegment(MetricRecord record)
    {
        _loss = new LossTracker(_settings);
        _eval = new EvalTracker(_settings);
        _eta = new EtaEstimator();
        _advisor = new EarlyStopAdvisor(_settings);
        _detectors = Detectors(_settings);
        _lastStep = null;
        _lastEpoch = null;
        _trainRecords = 0;
        _previousLr = null;
        _peakLr = 0;
        _lrRising = false;
        _finished = false;
        _nonFinite = false;
        _nonFiniteLine = null;
        _finiteSinceNonFinite = 0;
        _lastFiniteLoss = null;
        _lossBeforeNonFinite = null;
        _nonFiniteGradNorms = 0;
        _lastLossScale = null;
        _recordsSinceLrStep = null;
        _recordsSinceLrRose = null;
        _overfitting = false;
        _adviceGivenInPhase = false;
        _lastAdvice = null;
        Emit(_phases.Propose(TrainingPhase.Initializing, $"a new run starts at line {record.Line}: the step counter went back to its start", urgent: true, record.Line, record.Step));
    }

    private void OnEval(MetricRecord record)
    {
        // The evaluation's own step when the line says it (fairseq's num_updates, Megatron's iteration), else the last one seen.
        long? step = record.Step ?? _lastStep;
        double x = step ?? _trainRecords;
        if (!_eval.Observe(record, x, step))
        {
            return;
        }

        // Edge-triggered: raised when evaluation has been worse twice while training improves, cleared when it recovers.
        bool trainImproving = _loss.HasTrend && _loss.RelativeChange < -_settings.PlateauDrop;
        _overfitting &= _eval.ConsecutiveWorse > 0;
        if (!_overfitting && _eval.ConsecutiveWorse >= _eval.Patience && trainImproving)
        {
            _overfitting = true;
            var c = System.Globalization.CultureInfo.InvariantCulture;
            Raise(new AlertEvent
            {
                Kind = AlertKinds.ValDegrading,
                Severity = AlertSeverity.Warning,
                Line = record.Line,
                Step = _lastStep,
                Message = string.Create(c, $"{_eval.Name} got worse for {_eval.ConsecutiveWorse} evaluations ({_eval.Latest:0.####}, best {_eval.Best!.Value:0.####} at line {_eval.Best.Line}) while the training loss keeps falling ({_loss.RelativeChange:0.0%} over the window): the model is starting to overfit"),
                Details = [new Metric("value", _eval.Latest!.Value), new Metric("best", _eval.Best.Value)],
            });
        }

        if (_phases.Current is TrainingPhase.Plateau or TrainingPhase.OverfittingRisk)
        {
            TryAdvise(force: false);
        }
    }

    private void OnFinal(MetricRecord record)
    {
        _finished = true;
        _eta.Finish();
        if (record.Loss is double loss && double.IsFinite(loss) && _loss.Count == 0)
        {
            _loss.Add(loss, _lastStep ?? _trainRecords, record.Line);
        }

        Emit(_phases.Propose(TrainingPhase.Converged, "the trainer printed its end-of-training summary", urgent: true, record.Line, _lastStep));
    }

    /// <summary>
    /// The format checkpoint names are written for: that of the first line with a loss, since DeepSpeed's step and
    /// overflow lines can come first in a Trainer's log.
    /// </summary>
    private void TrackFormat(MetricRecord record)
    {
        if (_format == LogFormat.Auto || (!_formatFromLoss && record.Loss is not null))
        {
            _format = record.Format;
            _formatFromLoss = record.Loss is not null;
        }
    }

    private void OnCheckpoint(MetricRecord record)
    {
        if (record.CheckpointPath is not string path)
        {
            return;
        }

        if (_checkpoints.Count == KeptCheckpoints)
        {
            _checkpoints.Dequeue();
        }

        _checkpoints.Enqueue((record.Step ?? _lastStep, record.Line, path));
    }

    /// <summary>
    /// The checkpoint to keep for the best: the first one the log says it saved at or after its step (or, in a log
    /// without steps, after its line), else the name the framework would give it.
    /// </summary>
    private string CheckpointFor(long? step, double? epoch, long? line = null)
    {
        foreach ((long? saved, long savedLine, string path) in _checkpoints)
        {
            if (step is long best && saved is long at && at >= best)
            {
                return FormattableString.Invariant($"{path} (saved at step {at}, the first saved at or after the best)");
            }

            if (step is null && line is long bestLine && savedLine >= bestLine)
            {
                return FormattableString.Invariant($"{path} (saved at line {savedLine}, the first saved after the best)");
            }
        }

        return CheckpointNames.For(_format, step, epoch);
    }

    private void TrackLearningRate(double? lr)
    {
        if (lr is not double value || !double.IsFinite(value))
        {
            return;
        }

        // A constant learning rate after warm-up is not rising.
        _lrRising = _previousLr is double previous && value > previous;
        _recordsSinceLrRose = _lrRising ? 0 : _recordsSinceLrRose + 1;

        // A step of a step-decay schedule (a third or more at once), unlike a cosine's small decrements per record.
        _recordsSinceLrStep = _previousLr is double before && value <= before * (2.0 / 3.0) ? 0 : _recordsSinceLrStep + 1;

        _previousLr = value;
        _peakLr = Math.Max(_peakLr, value);
    }

    private void CountNonFiniteGradNorms(MetricRecord record)
    {
        bool scaleCut = record.LossScale < _lastLossScale;
        _lastLossScale = record.LossScale ?? _lastLossScale;
        if (record.GradNorm is double g)
        {
            _nonFiniteGradNorms = double.IsFinite(g) || scaleCut ? 0 : _nonFiniteGradNorms + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdatePhase(long line)
    {
        var inputs = new PhaseInputs
        {
            Current = _phases.Current,
            NonFiniteLoss = _nonFinite,
            NonFiniteGradNormInARow = _nonFiniteGradNorms,
            Finished = _finished,
            HasTrend = _loss.HasTrend,
            RelativeChange = _loss.HasTrend ? _loss.RelativeChange : 0,
            TrendT = _loss.HasTrend ? _loss.SlopeT : 0,
            WindowFirst = _loss.HasTrend ? _loss.FittedFirst : 0,
            WindowLast = _loss.HasTrend ? _loss.FittedLast : 0,
            WindowRecords = _loss.Trend.Count,
            SmoothedFirst = _loss.HasTrend ? _loss.Trend.Oldest.Value : 0,
            SmoothedLast = _loss.HasTrend ? _loss.Trend.Newest.Value : 0,
            RatioToBest = _loss.Best is SeriesPoint best && _loss.Smoothed is double s && best.Value > 0 ? s / best.Value : 1,
            RiseFromBest = _loss.Best is SeriesPoint b && _loss.Smoothed is double sm ? sm - b.Value : 0,
            LearnedRange = _loss.LearnedRange,
            RecordsSinceLrStep = _recordsSinceLrStep,
            LearningRateRising = _lrRising,
            WarmupInWindow = _recordsSinceLrRose is long since && since < _settings.Window,
            EvalStillGaining = _eval.Count >= 2 && _eval.NewBestWithinPatience,
            EvalStalled = _eval.Count >= 2 && !_eval.GainedWithinPatience,
            EvalSinceMaterialGain = _eval.SinceMaterialGain,
            LearningRate = _previousLr,
            LearningRateFractionOfPeak = _peakLr > 0 && _previousLr is double lr ? lr / _peakLr : null,
            EvalWorseInARow = _eval.ConsecutiveWorse,
            Overfitting = _overfitting,
            EvalName = _eval.Name,
            EvalLatest = _eval.Latest,
            EvalBest = _eval.Best?.Value,
            RecordsInPhase = _phases.RecordsInPhase,
        };
        (TrainingPhase phase, string reason, bool urgent) = _rules.Classify(inputs, explain: false);
        if (phase != _phases.Current)
        {
            // Only a proposal of another phase can become a phase_change; its words are worth formatting only then.
            reason = _rules.Classify(inputs).Reason;
        }

        if (RecoveredFromNonFinite(phase))
        {
            // One NaN that the run got over (fp16 skips the step, the loss is finite again) is not a run to stop.
            urgent = true;
            reason = FormattableString.Invariant($"the loss is finite again for {_finiteSinceNonFinite} records after the NaN/Inf at line {_nonFiniteLine}; {reason}");
        }

        PhaseChangeEvent? change = _phases.Propose(phase, reason, urgent, line, _lastStep);
        Emit(change);
        if (change is not null && change.To is TrainingPhase.Plateau or TrainingPhase.OverfittingRisk)
        {
            TryAdvise(force: false);
        }
    }

    /// <summary>
    /// Recovered: finite again for a confirmation's worth of records, or at once when the first finite loss is back where
    /// the run was before the NaN (no more than a quarter above it): a skipped step, not a diverged model
    /// (open-mmlab/mmdetection#5911: nan at iter 150, 1.06 at iter 200 after 1.04).
    /// </summary>
    private bool RecoveredFromNonFinite(TrainingPhase proposed)
    {
        bool back = _finiteSinceNonFinite >= _settings.ConfirmRecords
            || (_finiteSinceNonFinite >= 1 && _lossBeforeNonFinite is double before && _lastFiniteLoss is double now && now <= 1.25 * before);
        bool recovered = _phases.Current == TrainingPhase.Diverging && proposed != TrainingPhase.Diverging && _nonFiniteLine is not null
            && _phases.EnteredAtLine == _nonFiniteLine && back;
        if (recovered)
        {
            _lossBeforeNonFinite = null;
        }

        return recovered;
    }

    private void TryAdvise(bool force)
    {
        // Once per phase entry, and not again within five windows even if the phase flickers.
        if (!force && (_adviceGivenInPhase || _trainRecords - _adviceAtRecord < 5L * _settings.Window))
        {
            return;
        }

        if (!AdviceMakesSense())
        {
            return;
        }

        AdviceInputs? inputs = _eval.Count >= 3 ? EvalAdviceInputs() : LossAdviceInputs();
        if (inputs is null || _advisor.Advise(inputs) is not AdviceEvent advice)
        {
            return;
        }

        _adviceGivenInPhase = true;
        _adviceAtRecord = _trainRecords;
        _lastAdvice = advice;
        if (!force)
        {
            _sink.Emit(advice);
        }
    }

    /// <summary>
    /// Never during warm-up (the learning rate rose within the last window), with too little to judge, and never while
    /// the evaluation metric is still gaining (a material gain within its patience, see <see cref="EvalTracker.Patience"/>).
    /// </summary>
    private bool AdviceMakesSense()
    {
        bool warmupOver = _recordsSinceLrRose is not long since || since >= _settings.Window;
        bool evalStillGaining = _eval.Count > 0 && _eval.GainedWithinPatience;
        // Enough to judge: two windows of training records, or five evaluations (a log of one line per epoch).
        bool enough = _trainRecords >= 2L * _settings.Window || _eval.Count >= 5;

        // Stopping in the last tenth of a run saves little and forfeits the final LR decay's gain: let it finish.
        bool worthStopping = _eta.RemainingIterations is not long left || _lastStep is not long at || left >= 0.1 * (at + left);
        return warmupOver && enough && worthStopping && !evalStillGaining;
    }

    private AdviceInputs? EvalAdviceInputs()
    {
        BestMetric best = _eval.Best!;
        RingBuffer<SeriesPoint>? sinceBest = _eval.ConsecutiveWorse >= 2 ? _eval.SinceBest() : null;
        return new AdviceInputs
        {
            History = sinceBest is { Count: >= 3 } ? sinceBest : _eval.History,
            Noise = EarlyStopAdvisor.NoiseOf(_eval.History),
            MetricName = best.Name,
            Best = best.Value,
            BestGain = _eval.Gain(best.Value),
            BestLine = best.Line,
            BestStep = best.Step,
            RemainingIterations = _eta.RemainingIterations,
            SecondsPerIteration = _eta.MedianSecondsPerIteration,
            Checkpoint = CheckpointFor(best.Step, best.Epoch, best.Line),
            Line = _lastLine,
            Step = _lastStep,
        };
    }

    private AdviceInputs? LossAdviceInputs()
    {
        if (!_loss.HasTrend || _loss.Best is not SeriesPoint best)
        {
            return null;
        }

        var history = new RingBuffer<SeriesPoint>(_loss.Trend.Capacity);
        for (int i = 0; i < _loss.Trend.Count; i++)
        {
            SeriesPoint p = _loss.Trend[i];
            history.Add(p with { Value = -p.Value });
        }

        return new AdviceInputs
        {
            History = history,
            MetricName = "smoothed training loss",
            Best = best.Value,
            BestGain = -best.Value,
            BestLine = best.Line,
            BestStep = (long)best.Step,
            RemainingIterations = _eta.RemainingIterations,
            SecondsPerIteration = _eta.MedianSecondsPerIteration,
            Checkpoint = CheckpointFor(_lastStep, _lastTrain?.Epoch),
            Line = _lastLine,
            Step = _lastStep,
        };
    }

    private BestMetric? LossBest() =>
        _loss.Best is SeriesPoint best ? new BestMetric("loss (smoothed)", best.Value, MetricDirection.LowerIsBetter, best.Line, (long)best.Step, null) : null;

    private StatusEvent Status() => new()
    {
        Line = _lastLine,
        Step = _lastStep,
        Phase = _phases.Current,
        MaxStep = _lastTrain?.MaxStep,
        Epoch = _lastTrain?.Epoch,
        Loss = _loss.Latest,
        LossSmoothed = _loss.Smoothed,
        LearningRate = _previousLr,
        GradNorm = _lastTrain?.GradNorm,
        SecondsPerIteration = _eta.MedianSecondsPerIteration,
        Eta = _finished ? null : _eta.Estimate(),
        Best = _eval.Best ?? LossBest(),
        Records = _trainRecords,
    };

    private void Raise(AlertEvent? alert)
    {
        if (alert is null)
        {
            return;
        }

        _alertCounts[alert.Kind] = _alertCounts.GetValueOrDefault(alert.Kind) + 1;
        _sink.Emit(alert);
    }

    private void Emit(PhaseChangeEvent? change)
    {
        if (change is null)
        {
            return;
        }

        _adviceGivenInPhase = false;
        _sink.Emit(change);
    }
}
