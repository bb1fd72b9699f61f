namespace CclAgent.Core.Workloads;

/// <summary>
/// The resolved cost model of one workload: <c>$.tuning_cost</c> where given, otherwise defaults derived from the
/// node count. Cluster seconds are seconds the whole allocation is held; GPU-hours multiply them by its GPUs.
/// The orders of magnitude and their public sources are in docs/benchmarks.md "What tuning costs".
/// </summary>
public sealed record TuningCostModel
{
    /// <summary>Job start on one node: process launch, framework import, model build and NCCL init at small scale.</summary>
    public const double JobStartBaseSeconds = 45;

    /// <summary>
    /// NCCL init grows with the number of nodes (bootstrap all-gathers, connection set-up): NVIDIA/nccl#1156 reports
    /// 2.5 minutes at a few thousand GPUs, i.e. about half a second per 8-GPU node.
    /// </summary>
    public const double InitSecondsPerNode = 0.5;

    /// <summary>One nccl-tests run: mpirun/srun launch, CUDA context and one communicator init (NVIDIA/nccl#534: about 2 s per 8-rank init).</summary>
    public const double MicrobenchmarkStartBaseSeconds = 5;

    /// <summary>A few hours of training left at a second per iteration; the job's real horizon belongs in <c>remaining_iterations</c>.</summary>
    public const double DefaultRemainingIterations = 10_000;

    /// <summary>nccl-tests' <c>-n</c> and <c>-w</c> defaults (<see cref="MicrobenchmarkSpec"/>): the timed part of one run.</summary>
    public const int MicrobenchmarkIters = 20;
    public const int MicrobenchmarkWarmupIters = 5;

    public required double JobStartSeconds { get; init; }
    public required double MicrobenchmarkStartSeconds { get; init; }
    public required double RemainingIterations { get; init; }

    /// <summary>Timed calls of one nccl-tests run: <c>-n</c> plus <c>-w</c> of <c>$.microbenchmark</c>, or their defaults.</summary>
    public required int MicrobenchmarkCalls { get; init; }

    /// <summary>GPUs in the allocation (nodes × GPUs per node).</summary>
    public required int Gpus { get; init; }

    public static TuningCostModel For(WorkloadSpec workload)
    {
        int nodes = workload.Cluster?.Nodes ?? 1;
        TuningCostSpec spec = workload.TuningCost ?? new TuningCostSpec();
        return new TuningCostModel
        {
            JobStartSeconds = spec.JobStartSeconds ?? JobStartBaseSeconds + (InitSecondsPerNode * nodes),
            MicrobenchmarkStartSeconds = spec.MicrobenchmarkStartSeconds ?? MicrobenchmarkStartBaseSeconds + (InitSecondsPerNode * nodes),
            RemainingIterations = spec.RemainingIterations ?? DefaultRemainingIterations,
            Gpus = nodes * (workload.Cluster?.GpusPerNode ?? 1),
            MicrobenchmarkCalls = (workload.Microbenchmark?.Iters ?? MicrobenchmarkIters) + (workload.Microbenchmark?.WarmupIters ?? MicrobenchmarkWarmupIters),
        };
    }

    /// <summary>A job (re)start that runs <paramref name="iterationMs"/> (warm-up included): the start plus those iterations.</summary>
    public double RestartedTrialSeconds(IEnumerable<double> iterationMs) => JobStartSeconds + InJobSeconds(iterationMs);

    /// <summary>Iterations run inside an already started job: no launch, no init.</summary>
    public static double InJobSeconds(IEnumerable<double> iterationMs) => iterationMs.Sum() / 1000;

    /// <summary>One nccl-tests run of a collective that takes <paramref name="timeUs"/> per call.</summary>
    public double MicrobenchmarkRunSeconds(double timeUs) =>
        MicrobenchmarkStartSeconds + (MicrobenchmarkCalls * (double.IsFinite(timeUs) ? timeUs : 0) / 1e6);

    /// <summary>Cluster seconds × GPUs, in hours.</summary>
    public double GpuHours(double clusterSeconds) => clusterSeconds * Gpus / 3600;
}
