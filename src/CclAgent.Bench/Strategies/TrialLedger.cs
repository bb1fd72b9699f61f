using CclAgent.Core.Statistics;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Tuning.Risk;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// The shared bookkeeping of the baselines: runs a configuration on the scenario's simulated cluster
/// (same noise stream for every strategy with the same seed), scores it like the strategy would, and
/// records truth, hazard and risk with one uniform risk scorer so "risky_applied" means the same for all.
/// </summary>
public sealed class TrialLedger
{
    private readonly SimulatedCluster _cluster;
    private readonly ConfigurationRisk _risk;
    private readonly int _iterations;
    private readonly List<TrialPoint> _points = [];
    private NcclConfig? _incumbent;
    private double _incumbentScore = double.PositiveInfinity;

    public TrialLedger(StrategyInput input)
    {
        var workload = input.Scenario.Workload;
        _cluster = new SimulatedCluster(workload, new SimulationOptions { Seed = input.Seed });
        _risk = new ConfigurationRisk(workload);
        _iterations = workload.Tuning?.Iterations ?? 20;
    }

    public SimulatedCluster Cluster => _cluster;
    public IReadOnlyList<TrialPoint> Points => _points;

    /// <summary>Runs one trial; returns the strategy's score (lower is better) or null when the run failed.</summary>
    public double? Run(NcclConfig config, Func<IReadOnlyList<double>, double> score)
    {
        TrialSamples samples = _cluster.Measure(config, _iterations);
        double? measured = samples.Outcome.IsOk ? RobustStats.Of(samples.IterationMs).Median : null;
        double? scored = samples.Outcome.IsOk ? score(samples.IterationMs) : null;
        if (scored is double s && s < _incumbentScore)
        {
            _incumbentScore = s;
            _incumbent = config;
        }

        NcclConfig deployed = _incumbent ?? NcclConfig.Default;
        _points.Add(new TrialPoint(_points.Count + 1, config.Key, measured, samples.Truth.IterationMs, !samples.Outcome.IsOk,
            _risk.Score(config), deployed.Key, _cluster.Estimate(deployed).IterationMs));
        return scored;
    }

    public static double Median(IReadOnlyList<double> samples) => RobustStats.Of(samples).Median;
}
