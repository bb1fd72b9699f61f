using CclAgent.Core.Runs;
using CclAgent.Core.Workloads;
using CclAgent.Simulation;
using CclAgent.Tuning;
using CclAgent.Runtime.Execution;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Offline;

namespace CclAgent.Runtime.Setup;

/// <summary>The concrete job runner and microbenchmark for a tuning mode (the composition root's choice).</summary>
internal static class ModeExecutors
{
    /// <summary>
    /// What runs the job and the microbenchmark in each mode: dry-run simulates both; simulate-workload runs
    /// real nccl-tests and simulates the job; real runs both as processes through the workload's launcher.
    /// </summary>
    public static (IJobRunner? Runner, ICollectiveBenchmark? Benchmark, string? Problem) For(WorkloadSpec spec, string workloadFile, TuningOptions options, SimulationOptions simulation, RunDirectory run, IReadOnlyList<KeyValuePair<string, string>> overrides, TimeProvider time)
    {
        var benchCluster = new SimulatedCluster(spec, simulation with { Seed = simulation.Seed + 7919 });
        if (options.Mode == TuningModes.DryRun)
        {
            return (new SimulatedJobRunner(new SimulatedCluster(spec, simulation)), new SimulatedCollectiveBenchmark(benchCluster), null);
        }

        (ProcessJobOptions? jobOptions, string? jobProblem) = options.Mode == TuningModes.Real ? RealJobSetup.ForJob(spec, workloadFile, run.RunId) : (null, null);
        if (options.Mode == TuningModes.Real && jobOptions is null)
        {
            return (null, null, jobProblem);
        }

        string[] ops = [.. spec.Iteration!.Collectives!.Select(c => c.Op!.ToLowerInvariant()).Distinct()];
        (ProcessJobOptions? benchOptions, string? benchProblem) = RealJobSetup.ForMicrobenchmark(spec, workloadFile, run.RunId, ops);
        if (benchOptions is null)
        {
            return (null, null, benchProblem);
        }

        MicrobenchmarkSpec benchSpec = spec.Microbenchmark ?? new MicrobenchmarkSpec();
        var benchmark = new NcclTestsBenchmark(benchOptions with { Overrides = overrides }, run.Root, benchSpec.Iters ?? 20, benchSpec.WarmupIters ?? 5, (call, config) => benchCluster.Selector.Choose(call, config)?.Channels ?? 1, time);
        if (options.Mode == TuningModes.SimulateWorkload)
        {
            return (new SimulatedJobRunner(new SimulatedCluster(spec, simulation)), benchmark, null);
        }

        return (new ProcessJobRunner(jobOptions! with { Overrides = overrides }, run.Root, time), benchmark, null);
    }
}
