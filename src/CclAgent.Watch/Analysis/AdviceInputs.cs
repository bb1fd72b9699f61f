namespace CclAgent.Watch.Analysis;

/// <summary>What early-stop advice is computed from.</summary>
public sealed record AdviceInputs
{
    public required RingBuffer<SeriesPoint> History { get; init; }

    /// <summary>
    /// The metric's noise from one evaluation to the next over its whole recent history (not only since the best):
    /// a noisy validation loss can beat its best by chance, however the points since the best line up.
    /// </summary>
    public double Noise { get; init; }

    public required string MetricName { get; init; }

    /// <summary>The best value as printed, and as "gain" (higher is better).</summary>
    public required double Best { get; init; }

    public required double BestGain { get; init; }

    public required long BestLine { get; init; }

    public long? BestStep { get; init; }

    public long? RemainingIterations { get; init; }

    public double? SecondsPerIteration { get; init; }

    public required string Checkpoint { get; init; }

    public required long Line { get; init; }

    public long? Step { get; init; }
}
