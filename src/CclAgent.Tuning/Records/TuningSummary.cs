namespace CclAgent.Tuning.Records;

/// <summary>postrun/summary.json: the outcome of a tuning run.</summary>
public sealed record TuningSummary
{
    public required string RunId { get; init; }
    public required string Workload { get; init; }
    public required string Mode { get; init; }
    public required string ContextSignature { get; init; }
    public required double BaselineIterationMs { get; init; }
    public required double BestIterationMs { get; init; }
    public required double Speedup { get; init; }
    public required int Trials { get; init; }
    public required IReadOnlyDictionary<string, string> BestConfig { get; init; }
    public required string StopReason { get; init; }
    public double? ConfirmIterationMs { get; init; }
    public bool Confirmed { get; init; }

    /// <summary>True when no configuration was faster than NCCL's defaults beyond noise, so the defaults are delivered.</summary>
    public bool DefaultsDelivered { get; init; }

    /// <summary>Why the defaults are delivered (the re-run and baseline medians); null otherwise.</summary>
    public string? DefaultsReason { get; init; }
    public int FailedTrials { get; init; }
    public int BlockedCandidates { get; init; }
    public bool WarmStartFromMemory { get; init; }
    public string? WarmStartRun { get; init; }
    public bool LlmUsed { get; init; }

    /// <summary>Model calls made (prompt packs in llm/), proposals that passed validation, steps that applied one, and those that were accepted.</summary>
    public int LlmCalls { get; init; }
    public int LlmProposals { get; init; }
    public int LlmProposalsApplied { get; init; }
    public int LlmProposalsAccepted { get; init; }
    public string? LlmProvider { get; init; }
    public string? LlmUnavailable { get; init; }
    public int MicrobenchmarkRuns { get; init; }

    /// <summary>
    /// Cluster seconds (the whole allocation held) the run was charged: every microbenchmark run and every job run,
    /// baseline and confirm included; measured wall time where it really ran, the cost model where simulated.
    /// </summary>
    public double ClusterSeconds { get; init; }
    public double MicrobenchmarkClusterSeconds { get; init; }

    /// <summary><see cref="ClusterSeconds"/> × the workload's GPUs, in hours.</summary>
    public double GpuHours { get; init; }

    /// <summary>Dry-run only: the exhaustive oracle's optimum, the noise-free time of the best config, and their ratio.</summary>
    /// <summary>Dry-run: the joint (environment × per-collective) oracle.</summary>
    public double? OracleIterationMs { get; init; }

    /// <summary>Dry-run: the best of environment variables alone, beside the joint oracle.</summary>
    public double? GlobalOracleIterationMs { get; init; }
    public IReadOnlyDictionary<string, string>? OracleConfig { get; init; }
    public double? BestTrueIterationMs { get; init; }
    public double? OracleFraction { get; init; }
    public double? DefaultTrueIterationMs { get; init; }
    /// <summary>In-job runs only: how often the job was launched (the first launch and every restart an init-time knob needed).</summary>
    public int? JobLaunches { get; init; }

    /// <summary>In-job runs only: windows measured inside the running job after a table rewrite.</summary>
    public int? InJobWindows { get; init; }

    /// <summary>In-job runs only: true when the plugin's decision log matched the table of every measured window (null: no log to check).</summary>
    public bool? PluginDecisionsVerified { get; init; }

    public required IReadOnlyList<string> Artifacts { get; init; }
}
