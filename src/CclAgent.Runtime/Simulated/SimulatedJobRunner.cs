using CclAgent.Core.Failures;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using CclAgent.Simulation;
using CclAgent.Simulation.Truth;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Simulated;

/// <summary>
/// Runs the job on the simulated cluster: the same contract as a real launcher, so the loop cannot
/// tell the difference. Warm-up iterations (slower: allocator and autotuning) are produced and dropped.
/// </summary>
public sealed class SimulatedJobRunner(SimulatedCluster cluster) : IJobRunner
{
    public string Name => "simulated";

    public string ToolName => "simulator";

    /// <summary>The simulated NCCL has the tuner plugin loaded: it reads the conf file the step names, through the plugin's parser.</summary>
    public bool AppliesTunerConf => true;

    public Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TrialSamples samples = cluster.Measure(AsNcclSeesIt(request), request.Iterations + request.WarmupIterations);
        if (!samples.Outcome.IsOk)
        {
            return Task.FromResult(new JobResult(StatusOf(samples.Outcome.Kind), [], ClassOf(samples.Outcome), samples.Outcome.Message));
        }

        return Task.FromResult(new JobResult(JobStatus.Ok, samples.IterationMs.Skip(request.WarmupIterations).ToArray()));
    }

    /// <summary>
    /// The environment's variables, plus the rows of the tuner conf named by NCCL_TUNER_CONFIG_FILE as the plugin reads
    /// and NCCL applies them (a missing file: no rows, as the example plugin logs "not found, using defaults").
    /// </summary>
    private NcclConfig AsNcclSeesIt(JobRequest request)
    {
        NcclConfig environment = request.Config.WithoutChoices();
        string? file = request.Environment.LastOrDefault(v => v.Key == TunerConfFiles.Variable).Value;
        if (file is null || !File.Exists(file))
        {
            return environment;
        }

        TunerTable table = TunerConfParser.Parse(File.ReadAllText(file)).Table;
        return table.ApplyTo(environment, cluster.TunerKeys, (key, algorithm, protocol) =>
            cluster.Selector.PluginCellAvailable(key.Call, algorithm, protocol, environment));
    }

    private static JobStatus StatusOf(OutcomeKind kind) => kind == OutcomeKind.Hang ? JobStatus.TimedOut : JobStatus.Failed;

    /// <summary>The simulator's outcomes in the failure vocabulary every runner shares.</summary>
    private static FailureClass ClassOf(Outcome outcome) => outcome.Kind switch
    {
        OutcomeKind.InitError => FailureKind.NcclInitError,
        OutcomeKind.Corrupted => FailureKind.ResultCorruption,
        OutcomeKind.OutOfMemory => FailureKind.CudaOom,
        OutcomeKind.Hang => FailureKind.Timeout,
        OutcomeKind.TransientFault => FailureKind.TransientNetwork,
        _ => FailureKind.Unknown,
    };
}
