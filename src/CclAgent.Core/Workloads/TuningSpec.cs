namespace CclAgent.Core.Workloads;

/// <summary>Per-workload tuning settings; the agent config and CLI flags override them.</summary>
public sealed record TuningSpec
{
    /// <summary>Online trials (job runs) the loop may spend, the confirmation run excluded.</summary>
    public int? Budget { get; init; }

    /// <summary>A trial slower than this many ms per iteration breaches the SLA and is rolled back.</summary>
    public double? SlaMaxIterationMs { get; init; }

    /// <summary>Stop early once the speedup over the baseline reaches this factor.</summary>
    public double? TargetSpeedup { get; init; }

    /// <summary>Stop after this many consecutive steps without a significant improvement.</summary>
    public int? PlateauSteps { get; init; }

    /// <summary>Measured iterations per trial (after warm-up).</summary>
    public int? Iterations { get; init; }

    /// <summary>Warm-up iterations dropped from each trial.</summary>
    public int? WarmupIterations { get; init; }

    /// <summary>Seconds one trial may run before it is killed (real jobs).</summary>
    public double? StepTimeoutSeconds { get; init; }
}
