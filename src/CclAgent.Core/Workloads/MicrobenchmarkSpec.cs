namespace CclAgent.Core.Workloads;

/// <summary>
/// The real (non-dry-run) microbenchmark: which nccl-tests binaries to run over the workload's message
/// sizes, under which launcher, and at most how many runs it may spend.
/// </summary>
public sealed record MicrobenchmarkSpec
{
    /// <summary>
    /// Argv of one nccl-tests run; <c>{op}</c> in any element becomes the collective (all_reduce, …).
    /// Default <c>["{op}_perf"]</c> (the binaries on PATH). Size and iteration flags are appended.
    /// </summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Launcher of the nccl-tests runs; default: the workload's own launcher.</summary>
    public LauncherSpec? Launcher { get; init; }

    /// <summary>At most this many nccl-tests runs (default: no cap; sweeps stop when not worth their cluster time, see <see cref="TuningCostSpec"/>).</summary>
    public int? MaxRuns { get; init; }

    /// <summary>How many of the fastest algorithm/protocol subspaces get a per-parameter sweep (default 1).</summary>
    public int? SweptSubspaces { get; init; }

    /// <summary>nccl-tests <c>-n</c> (default 20).</summary>
    public int? Iters { get; init; }

    /// <summary>nccl-tests <c>-w</c> (default 5).</summary>
    public int? WarmupIters { get; init; }

    /// <summary>Seconds one nccl-tests run may take before its process tree is killed (default 300).</summary>
    public double? TimeoutSeconds { get; init; }
}
