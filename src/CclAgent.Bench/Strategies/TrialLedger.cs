using CclAgent.Core.Statistics;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Tuning.Risk;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// The shared bookkeeping of the baselines: runs a configuration on the scenario's simulated cluster
/// (same noise stream for every strategy with the same seed), scores it like the strategy would, and
/// records truth, hazard and risk with one uniform risk scorer so "risky_applied" means the same for all.
/// Every trial is charged the cluster time it would take there (<see cref="TuningCostModel"/>): a restart
/// (<see cref="Run"/>) or iterations of the already running job (<see cref="RunInJob"/>).
/// </summary>
public sealed class TrialLedger
{
    private readonly SimulatedCluster _cluster;
    private readonly ConfigurationRisk _risk;
    private readonly int _iterations;
    private readonly int _warmup;
    private readonly List<TrialPoint> _points = [];
    private NcclConfig? _incumbent;
    private double _incumbentScore = double.PositiveInfinity;

    public TrialLedger(StrategyInput input)
    {
        var workload = input.Scenario.Workload;
        _cluster = new SimulatedCluster(workload, new SimulationOptions { Seed = input.Seed });
        _risk = new ConfigurationRisk(workload);
        _iterations = workload.Tuning?.Iterations ?? 20;
        _warmup = workload.Tuning?.WarmupIterations ?? 3;
        Cost = TuningCostModel.For(workload);
    }

    public SimulatedCluster Cluster => _cluster;
    public IReadOnlyList<TrialPoint> Points => _points;
    public TuningCostModel Cost { get; }

    /// <summary>Measured iterations per restarted trial.</summary>
    public int Iterations => _iterations;

    /// <summary>
    /// What an in-job tuner pays once: one job start and the trainer's warm-up iterations (at NCCL defaults' pace,
    /// which is what runs before the tuner's first switch).
    /// </summary>
    public double JobStartSeconds() => Cost.JobStartSeconds + (_warmup * _cluster.Estimate(NcclConfig.Default).IterationMs / 1000);

    /// <summary>Runs one trial as a job restart; returns the strategy's score (lower is better) or null when the run failed.</summary>
    public double? Run(NcclConfig config, Func<IReadOnlyList<double>, double> score)
    {
        TrialSamples samples = _cluster.Measure(config, _iterations);

        // The restarted job runs its warm-up at about the measured pace before the measured iterations; a failed run
        // is charged its start only (it fails at init or in the first iterations; a hang would cost more).
        double seconds = samples.Outcome.IsOk
            ? Cost.RestartedTrialSeconds(samples.IterationMs) + (_warmup * RobustStats.Of(samples.IterationMs).Median / 1000)
            : Cost.JobStartSeconds;
        return Record(config, samples, score, seconds);
    }

    /// <summary>
    /// Evaluates one candidate inside the running job: <paramref name="samples"/> timed samples, charged the
    /// <paramref name="iterations"/> of training they need (no launch, no init). A failure kills the job, so it is
    /// charged a restart as well.
    /// </summary>
    public double? RunInJob(NcclConfig config, int samples, double iterations, Func<IReadOnlyList<double>, double> score)
    {
        TrialSamples measured = _cluster.Measure(config, samples);
        double seconds = measured.Outcome.IsOk
            ? iterations * measured.IterationMs.Average() / 1000
            : JobStartSeconds() + (iterations * _cluster.Estimate(NcclConfig.Default).IterationMs / 1000);
        return Record(config, measured, score, seconds);
    }

    /// <summary>
    /// Per communication task, in the running job: every collective key runs its own candidate in the same iterations
    /// (<paramref name="config"/> holds them all) and is timed on its own calls. The caller decides what it would deploy
    /// from the scores and records the round with <see cref="RecordInJobRound"/>.
    /// </summary>
    public CollectiveSamples MeasureTasks(NcclConfig config, int samples) => _cluster.MeasureCollectives(config, samples);

    /// <summary>Records one in-job round of per-task candidates, charged its iterations (a failure kills the job: a restart as well).</summary>
    public void RecordInJobRound(NcclConfig config, CollectiveSamples measured, double iterations, NcclConfig deployed)
    {
        double seconds = measured.Outcome.IsOk
            ? iterations * measured.Truth.IterationMs / 1000
            : JobStartSeconds() + (iterations * _cluster.Estimate(NcclConfig.Default).IterationMs / 1000);
        _points.Add(new TrialPoint(_points.Count + 1, config.Key, measured.Outcome.IsOk ? measured.Truth.IterationMs : null, measured.Truth.IterationMs,
            !measured.Outcome.IsOk, _risk.Score(config), deployed.Key, _cluster.Estimate(deployed).IterationMs) { ClusterSeconds = Math.Round(seconds, 3) });
    }

    private double? Record(NcclConfig config, TrialSamples samples, Func<IReadOnlyList<double>, double> score, double seconds)
    {
        double? measured = samples.Outcome.IsOk ? RobustStats.Of(samples.IterationMs).Median : null;
        double? scored = samples.Outcome.IsOk ? score(samples.IterationMs) : null;
        if (scored is double s && s < _incumbentScore)
        {
            _incumbentScore = s;
            _incumbent = config;
        }

        NcclConfig deployed = _incumbent ?? NcclConfig.Default;
        _points.Add(new TrialPoint(_points.Count + 1, config.Key, measured, samples.Truth.IterationMs, !samples.Outcome.IsOk,
            _risk.Score(config), deployed.Key, _cluster.Estimate(deployed).IterationMs) { ClusterSeconds = Math.Round(seconds, 3) });
        return scored;
    }

    /// <summary>What a strategy run of this ledger reports, with the cluster time charged before its first trial.</summary>
    public StrategyRun Result(double elapsedMs, double setupClusterSeconds = 0) =>
        new(_points, 0, elapsedMs) { SetupClusterSeconds = Math.Round(setupClusterSeconds, 3), Gpus = Cost.Gpus };

    public static double Median(IReadOnlyList<double> samples) => RobustStats.Of(samples).Median;
}
