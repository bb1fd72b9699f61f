namespace CclAgent.Watch.Records;

/// <summary>Which way an evaluation metric improves.</summary>
public enum MetricDirection
{
    /// <summary>Not a quality metric (runtime, throughput, counters).</summary>
    Unknown,

    /// <summary>Smaller is better (loss, error, perplexity).</summary>
    LowerIsBetter,

    /// <summary>Larger is better (accuracy, mAP, F1).</summary>
    HigherIsBetter,
}
