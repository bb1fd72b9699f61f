using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// The tracked evaluation metric: which one (given, or the first higher-is-better metric, else the eval loss), its
/// best value and where, its recent history, and how many evaluations in a row were worse than the best.
/// </summary>
public sealed class EvalTracker(WatchSettings settings)
{
    private readonly RingBuffer<SeriesPoint> _history = new(16);

    public string? Name { get; private set; }

    public MetricDirection Direction { get; private set; }

    public BestMetric? Best { get; private set; }

    public double? Latest { get; private set; }

    /// <summary>Evaluations in a row worse than the best by more than min-delta.</summary>
    public int ConsecutiveWorse { get; private set; }

    public int Count { get; private set; }

    /// <summary>Evaluations since the metric last beat its previous best by more than min-delta (0: the latest did).</summary>
    public int SinceMaterialGain { get; private set; }

    /// <summary>Evaluations since the metric last set a new best by any amount (0: the latest did).</summary>
    public int SinceNewBest { get; private set; }

    /// <summary>
    /// The longest run of evaluations without a material gain that the metric then recovered from: a noisy validation
    /// loss that went four evaluations without a new best and then set one has shown that four is no evidence.
    /// </summary>
    public int LongestRecoveredDrought { get; private set; }

    /// <summary>Evaluations without a material gain that this metric's own history says are evidence: one more than it ever recovered from, at least 2.</summary>
    public int Patience => Math.Max(2, LongestRecoveredDrought + 1);

    /// <summary>A material gain within the last <see cref="Patience"/> evaluations: the metric still improves.</summary>
    public bool GainedWithinPatience => SinceMaterialGain < Patience;

    /// <summary>A new best, by any amount, within the last <see cref="Patience"/> evaluations.</summary>
    public bool NewBestWithinPatience => SinceNewBest < Patience;

    /// <summary>Recent values as "gain" (higher is better whatever the metric's direction), oldest first.</summary>
    public RingBuffer<SeriesPoint> History => _history;

    /// <summary>Reads the tracked metric from an evaluation record; false when the record lacks it.</summary>
    public bool Observe(MetricRecord record, double step, long? trainStep)
    {
        Metric? metric = Select(record.Eval);
        if (metric is not { } m || !double.IsFinite(m.Value))
        {
            return false;
        }

        Count++;
        Latest = m.Value;
        _history.Add(new SeriesPoint(step, Gain(m.Value), record.Line));
        bool materialGain = Best is null || IsBetter(m.Value, Best.Value, settings.MinDelta);
        LongestRecoveredDrought = materialGain ? Math.Max(LongestRecoveredDrought, SinceMaterialGain) : LongestRecoveredDrought;
        SinceMaterialGain = materialGain ? 0 : SinceMaterialGain + 1;
        SinceNewBest = Best is null || IsBetter(m.Value, Best.Value, 0) ? 0 : SinceNewBest + 1;
        if (Best is null || IsBetter(m.Value, Best.Value, 0))
        {
            Best = new BestMetric(m.Name, m.Value, Direction, record.Line, trainStep, record.Epoch);
            ConsecutiveWorse = 0;
        }
        else
        {
            ConsecutiveWorse = IsBetter(Best.Value, m.Value, settings.MinDelta) ? ConsecutiveWorse + 1 : 0;
        }

        return true;
    }

    /// <summary>
    /// The evaluations from the best on (the best included) once the metric has fallen away from it: after its peak, a
    /// line through the whole history still slopes up and would promise gains the recent evaluations deny.
    /// </summary>
    public RingBuffer<SeriesPoint> SinceBest()
    {
        var points = new RingBuffer<SeriesPoint>(_history.Capacity);
        bool found = false;
        for (int i = 0; i < _history.Count; i++)
        {
            found |= Best is not null && _history[i].Line == Best.Line;
            if (found)
            {
                points.Add(_history[i]);
            }
        }

        return points;
    }

    /// <summary>Higher-is-better view of a value of the tracked metric.</summary>
    public double Gain(double value) => Direction == MetricDirection.LowerIsBetter ? -value : value;

    /// <summary>True when <paramref name="a"/> beats <paramref name="b"/> by more than <paramref name="relative"/> of |b|.</summary>
    public bool IsBetter(double a, double b, double relative)
    {
        double margin = relative * Math.Max(Math.Abs(b), 1e-12);
        return Direction == MetricDirection.LowerIsBetter ? a < b - margin : a > b + margin;
    }

    private Metric? Select(IReadOnlyList<Metric> metrics)
    {
        if (Name is null)
        {
            Choose(metrics);
        }

        foreach (Metric metric in metrics)
        {
            if (string.Equals(metric.Name, Name, StringComparison.OrdinalIgnoreCase))
            {
                return metric;
            }
        }

        return null;
    }

    private void Choose(IReadOnlyList<Metric> metrics)
    {
        Metric chosen = settings.Metric is { } wanted
            ? metrics.FirstOrDefault(m => Matches(m.Name, wanted))
            : metrics.FirstOrDefault(m => MetricDirections.Infer(m.Name) == MetricDirection.HigherIsBetter);
        if (chosen.Name is null && settings.Metric is null)
        {
            chosen = metrics.FirstOrDefault(m => MetricDirections.Infer(m.Name) == MetricDirection.LowerIsBetter);
        }

        if (chosen.Name is not null)
        {
            Name = chosen.Name;
            MetricDirection direction = MetricDirections.Infer(chosen.Name);
            Direction = direction == MetricDirection.Unknown ? MetricDirection.HigherIsBetter : direction;
        }
    }

    // "--metric bbox_mAP" finds "coco/bbox_mAP"; "--metric loss" finds "eval_loss".
    private static bool Matches(string name, string wanted) =>
        string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("/" + wanted, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_" + wanted, StringComparison.OrdinalIgnoreCase);
}
