namespace CclAgent.Watch.Analysis;

/// <summary>What the phase rules look at after each training record.</summary>
public sealed record PhaseInputs
{
    public required TrainingPhase Current { get; init; }

    public bool NonFiniteLoss { get; init; }

    public bool Finished { get; init; }

    public bool HasTrend { get; init; }

    /// <summary>Relative change of the smoothed loss across the window (negative: falling).</summary>
    public double RelativeChange { get; init; }

    /// <summary>t-statistic of the raw-loss slope: how sure the trend is (≤ −2: surely falling).</summary>
    public double TrendT { get; init; }

    public double WindowFirst { get; init; }

    public double WindowLast { get; init; }

    public int WindowRecords { get; init; }

    /// <summary>The smoothed loss relative to its best so far (1 = at the best).</summary>
    public double RatioToBest { get; init; } = 1;

    public bool LearningRateRising { get; init; }

    public double? LearningRate { get; init; }

    /// <summary>The learning rate as a fraction of its peak so far.</summary>
    public double? LearningRateFractionOfPeak { get; init; }

    /// <summary>Evaluations in a row worse than the best (while training loss falls, that is overfitting).</summary>
    public int EvalWorseInARow { get; init; }

    public string? EvalName { get; init; }

    public double? EvalLatest { get; init; }

    public double? EvalBest { get; init; }

    /// <summary>Records spent on the current PLATEAU.</summary>
    public long RecordsInPhase { get; init; }
}
