namespace CclAgent.Watch.Analysis;

/// <summary>What the phase rules look at after each training record.</summary>
public sealed record PhaseInputs
{
    public required TrainingPhase Current { get; init; }

    /// <summary>The learning rate rose within the last window: the loss trend of the window still holds the warm-up.</summary>
    public bool WarmupInWindow { get; init; }

    /// <summary>The evaluation metric set a new best within its patience: whatever the training loss does, the run still learns.</summary>
    public bool EvalStillGaining { get; init; }

    /// <summary>The evaluation metric made no material gain for its patience: the run is not learning fast, whatever the training loss does.</summary>
    public bool EvalStalled { get; init; }

    public bool NonFiniteLoss { get; init; }

    /// <summary>Records in a row whose grad norm was NaN/Inf while the loss scale was not being cut (no skipped-step cascade).</summary>
    public int NonFiniteGradNormInARow { get; init; }

    public bool Finished { get; init; }

    public bool HasTrend { get; init; }

    /// <summary>Relative change of the smoothed loss across the window (negative: falling).</summary>
    public double RelativeChange { get; init; }

    /// <summary>t-statistic of the raw-loss slope: how sure the trend is (≤ −2: surely falling).</summary>
    public double TrendT { get; init; }

    public double WindowFirst { get; init; }

    public double WindowLast { get; init; }

    public int WindowRecords { get; init; }

    /// <summary>The smoothed values at the window's ends, as they are (the fitted line's ends can overshoot, even below 0).</summary>
    public double SmoothedFirst { get; init; }

    public double SmoothedLast { get; init; }

    /// <summary>The smoothed loss relative to its best so far (1 = at the best).</summary>
    public double RatioToBest { get; init; } = 1;

    /// <summary>The smoothed loss minus its best so far.</summary>
    public double RiseFromBest { get; init; }

    /// <summary>Peak minus best of the smoothed loss: how far the run has come down (see <see cref="LossTracker.LearnedRange"/>).</summary>
    public double LearnedRange { get; init; }

    /// <summary>Records since the learning rate last stepped down (a drop of a third or more in one record); null if it never did.</summary>
    public long? RecordsSinceLrStep { get; init; }

    public bool LearningRateRising { get; init; }

    public double? LearningRate { get; init; }

    /// <summary>The learning rate as a fraction of its peak so far.</summary>
    public double? LearningRateFractionOfPeak { get; init; }

    /// <summary>Evaluations in a row worse than the best.</summary>
    public int EvalWorseInARow { get; init; }

    /// <summary>Evaluations since the metric's last material gain.</summary>
    public int EvalSinceMaterialGain { get; init; }

    /// <summary>The val_degrading alert is active: evaluation got worse while the training loss fell, and has not recovered.</summary>
    public bool Overfitting { get; init; }

    public string? EvalName { get; init; }

    public double? EvalLatest { get; init; }

    public double? EvalBest { get; init; }

    /// <summary>Records spent on the current PLATEAU.</summary>
    public long RecordsInPhase { get; init; }
}
