namespace CclAgent.Tuning.Records;

/// <summary>Metrics of one step; evidence id "metric:&lt;step&gt;:iteration_ms".</summary>
public sealed record StepMetrics
{
    public double? IterationMsMedian { get; init; }
    public double? IterationMsP90 { get; init; }
    public double? IterationMsTrimmedMean { get; init; }
    public double? StandardErrorMs { get; init; }
    public int Samples { get; init; }

    /// <summary>The measured iteration times after warm-up, in order: what `tune --resume` re-derives its decisions from.</summary>
    public IReadOnlyList<double>? IterationMsSamples { get; init; }
    public double? SpeedupVsBaseline { get; init; }

    /// <summary>Dry-run only: the simulator's noise-free time of this configuration.</summary>
    public double? TrueIterationMs { get; init; }
}
