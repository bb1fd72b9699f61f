namespace CclAgent.Core.Workloads;

/// <summary>
/// A workload: the cluster it runs on and what one training iteration does.
/// Loaded from JSON (snake_case); every field is documented in docs/configuration.md.
/// </summary>
public sealed record WorkloadSpec
{
    public string? Name { get; init; }
    public string? Description { get; init; }

    /// <summary>"training" (an iterative job) or "generic" (any command with metrics).</summary>
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public string Kind { get; set; } = "training";

    public ClusterSpec? Cluster { get; init; }
    public ModelSpec? Model { get; init; }
    public IterationSpec? Iteration { get; init; }
    public TuningSpec? Tuning { get; init; }

    /// <summary>Argv of the real job (not a shell string). Unused in dry-run.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Extra environment variables for the real job.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    /// <summary>How the real job is started (mpirun, torchrun, srun, sbatch, or directly). Unused in dry-run.</summary>
    public LauncherSpec? Launcher { get; init; }

    /// <summary>Working directory of the real job; relative paths are resolved against the workload file's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How iteration times are read from the real job's output.</summary>
    public MetricsSpec? Metrics { get; init; }

    /// <summary>The real microbenchmark (nccl-tests) run before the online loop, without --dry-run.</summary>
    public MicrobenchmarkSpec? Microbenchmark { get; init; }

    /// <summary>What tuning costs on this cluster; defaults from the scale (<see cref="TuningCostModel"/>).</summary>
    public TuningCostSpec? TuningCost { get; init; }
}
