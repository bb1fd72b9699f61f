using CclAgent.Core.Runs;
using CclAgent.Core.Workloads;
using CclAgent.Runtime.Advice;
using CclAgent.Runtime.Diagnosis;
using CclAgent.Runtime.Execution;
using CclAgent.Runtime.InJob;
using CclAgent.Runtime.Microbenchmarks;
using CclAgent.Runtime.Setup;
using CclAgent.Runtime.Simulated;
using CclAgent.Simulation;
using CclAgent.Tuning;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Progress;

namespace CclAgent.Runtime;

/// <summary>
/// The one place a tune run is put together, for the CLI, <c>bench</c> and the tests alike: the job runner,
/// the microbenchmark and the truth for the mode, the model and knowledge adapters, and step diagnosis.
/// A real run never constructs a simulator.
/// </summary>
public static class TuningRun
{
    /// <summary>
    /// The microbenchmark's simulated cluster draws its noise from another seed than the job's, as a real
    /// nccl-tests run and a training step would not share their noise.
    /// </summary>
    public const int BenchmarkSeedOffset = 7919;

    /// <summary>The context for the request's mode; null with a one-line problem when the job cannot be set up (exit 3).</summary>
    public static (TuningContext? Context, string? Problem) For(TuningRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        (IJobRunner? runner, ICollectiveBenchmark? benchmark, string? problem) = Executors(request);
        if (problem is not null)
        {
            return (null, problem);
        }

        var context = new TuningContext
        {
            Workload = request.Workload,
            WorkloadFile = request.WorkloadFile,
            Options = request.Options,
            Run = request.Run,
            Trace = request.Trace,
            Runner = runner!,
            Benchmark = benchmark!,
            Memory = request.Memory,
            Diagnoser = DiagnoserStepAdapter.Instance,
            Knowledge = request.Knowledge is null ? KnowledgeLibrarySource.BuiltIn : new KnowledgeLibrarySource(request.Knowledge),
            Truth = request.Options.Mode == TuningModes.Real ? null : new SimulatorTruth(Cluster(request), () => Cluster(request), request.Oracle),
            Advisor = Advisor(request),
            Progress = request.Progress,
            Time = request.Time,
            StartedAt = request.Time.GetUtcNow(),
        };
        return (context, null);
    }

    /// <summary>
    /// The context of <c>replay</c>: every step and the microbenchmark answered from the recorded run, nothing run, the
    /// model (when the run had one) answered from its prompt packs through the request's session, and no simulator truth
    /// (decisions never read it). <paramref name="appliesTunerConf"/> is the recorded job's.
    /// </summary>
    public static TuningContext ForReplay(TuningRunRequest request, bool appliesTunerConf, Tuning.Resuming.ResumePoint point, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        var nothing = new Replay.UnrecordedWork(appliesTunerConf);
        var recorded = new Tuning.Resuming.ResumingJobRunner(nothing, point, fastForward: false);
        return new TuningContext
        {
            Workload = request.Workload,
            WorkloadFile = request.WorkloadFile,
            Options = request.Options,
            Run = request.Run,
            Trace = request.Trace,
            Runner = request.Options.InJob ? new Replay.RecordedInJobRunner(recorded, point, request.Options.WarmupIterations) : recorded,
            Benchmark = nothing,
            Memory = request.Memory,
            Diagnoser = DiagnoserStepAdapter.Instance,
            Knowledge = KnowledgeLibrarySource.BuiltIn,
            Advisor = Advisor(request),
            Progress = NullProgressSink.Instance,
            Time = request.Time,
            StartedAt = startedAt,
            Resume = point,
        };
    }

    /// <summary>The model port over the request's session, or none when the run has no model (<c>--provider none</c>).</summary>
    private static LlmModelAdvisor? Advisor(TuningRunRequest request) =>
        request.Llm is { Settings.Enabled: true } session ? new LlmModelAdvisor(session) : null;

    /// <summary>A simulated cluster of the request's workload: the job's (seed) or the microbenchmark's (seed + offset).</summary>
    public static SimulatedCluster Cluster(TuningRunRequest request, int seedOffset = 0) =>
        Cluster(request.Workload, request, seedOffset);

    /// <summary>The same for another workload (a test may benchmark a variant of the job).</summary>
    public static SimulatedCluster Cluster(WorkloadSpec workload, TuningRunRequest request, int seedOffset = 0) =>
        new(workload, new SimulationOptions { Seed = request.Options.Seed + seedOffset, NoiseSigma = request.NoiseSigma, TransientFaultRate = request.TransientFaultRate });

    /// <summary>The simulated job: one run per step, or with <c>--in-job</c> one job retuned in place.</summary>
    private static IJobRunner Simulated(TuningRunRequest request)
    {
        var job = new SimulatedJobRunner(Cluster(request));
        return request.Options.InJob ? new SimulatedInJobRunner(job) : job;
    }

    /// <summary>
    /// What runs the job and the microbenchmark in each mode: dry-run simulates both; simulate-workload runs
    /// real nccl-tests and simulates the job; real runs both as processes through the workload's launcher.
    /// </summary>
    private static (IJobRunner? Runner, ICollectiveBenchmark? Benchmark, string? Problem) Executors(TuningRunRequest request)
    {
        WorkloadSpec spec = request.Workload;
        TuningOptions options = request.Options;
        if (options.Mode == TuningModes.DryRun)
        {
            return (Simulated(request), new SimulatedCollectiveBenchmark(Cluster(request, BenchmarkSeedOffset)), null);
        }

        RunDirectory run = request.Run;
        (ProcessJobOptions? jobOptions, string? jobProblem) = options.Mode == TuningModes.Real ? RealJobSetup.ForJob(spec, request.WorkloadFile, run.RunId) : (null, null);
        if (options.Mode == TuningModes.Real && jobOptions is null)
        {
            return (null, null, jobProblem);
        }

        string[] ops = [.. spec.Iteration!.Collectives!.Select(c => c.Op!.ToLowerInvariant()).Distinct()];
        (ProcessJobOptions? benchOptions, string? benchProblem) = RealJobSetup.ForMicrobenchmark(spec, request.WorkloadFile, run.RunId, ops);
        if (benchOptions is null)
        {
            return (null, null, benchProblem);
        }

        MicrobenchmarkSpec benchSpec = spec.Microbenchmark ?? new MicrobenchmarkSpec();
        var benchmark = new NcclTestsBenchmark(benchOptions with { Overrides = request.Overrides }, run.Root, benchSpec.Iters ?? 20, benchSpec.WarmupIters ?? 5, request.Time);
        if (options.Mode == TuningModes.SimulateWorkload)
        {
            return (Simulated(request), benchmark, null);
        }

        if (options.InJob)
        {
            (string? plugin, string? pluginProblem) = TunerPluginLocator.Find(request.TunerPluginPath);
            if (plugin is null)
            {
                return (null, null, pluginProblem);
            }

            // The one job lives through every window: its process limit is the step timeout once per step, plus slack.
            TimeSpan window = jobOptions!.StepTimeout;
            var job = new ProcessJobRunner(jobOptions with { Overrides = request.Overrides, StepTimeout = window * (options.Budget + 4) }, run.Root, request.Time);
            return (new InJobProcessRunner(job, plugin, Path.Combine(run.Root, "injob"), window, request.Time), benchmark, null);
        }

        return (new ProcessJobRunner(jobOptions! with { Overrides = request.Overrides }, run.Root, request.Time), benchmark, null);
    }
}
