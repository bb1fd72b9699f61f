namespace CclAgent.Tuning;

/// <summary>Resolved settings of one tuning run (workload spec, agent config and CLI flags merged; see docs/configuration.md).</summary>
public sealed record TuningOptions
{
    public int Budget { get; init; } = 24;
    public int Seed { get; init; } = 1;
    public int Iterations { get; init; } = 20;
    public int WarmupIterations { get; init; } = 3;
    public int PlateauSteps { get; init; } = 8;
    public double? TargetSpeedup { get; init; }
    public double? SlaMaxIterationMs { get; init; }

    /// <summary>One of <see cref="TuningModes"/>.</summary>
    public string Mode { get; init; } = TuningModes.DryRun;
    public string Provider { get; init; } = "none";

    /// <summary>The model (with a provider other than none) and where it is served; for the record only, the session holds the client.</summary>
    public string? LlmModel { get; init; }
    public string? LlmEndpoint { get; init; }

    /// <summary>Ask the model for new hypotheses after every N-th online step.</summary>
    public int LlmEvery { get; init; } = 4;

    /// <summary>Minimum similarity for an earlier run's best config to become this run's first trial.</summary>
    public double WarmStartSimilarity { get; init; } = 0.85;

    /// <summary>How many of the fastest algorithm/protocol subspaces the microbenchmark sweeps per parameter.</summary>
    public int MicrobenchmarkSweptSubspaces { get; init; } = 3;

    /// <summary>An explicit cap on microbenchmark runs; unbounded by default, where the cluster-time stopping rule decides.</summary>
    public int MicrobenchmarkMaxRuns { get; init; } = int.MaxValue;

    /// <summary>
    /// <c>tune --in-job</c>: one job launch, retuned in place through ccl-agent's tuner plugin; init-time knobs change
    /// only by a restart the planner judges worth its cost.
    /// </summary>
    public bool InJob { get; init; }

    /// <summary>
    /// Iterations measured per in-job window. A window costs only its iterations, so it can be short: AutoCCL profiles a
    /// candidate over 5 calls (TUNER_PROFILE_REPEAT in its run.sh); a step that restarts the job keeps <see cref="Iterations"/>.
    /// </summary>
    public int WindowIterations { get; init; } = 5;

    /// <summary>Parameters whose microbenchmark importance is below this are not moved by coordinate descent.</summary>
    public double PruneBelow { get; init; } = 0.002;
}
