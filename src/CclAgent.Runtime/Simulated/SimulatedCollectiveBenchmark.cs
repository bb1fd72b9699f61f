using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Simulation.CostModel;
using CclAgent.Tuning.Offline;

namespace CclAgent.Runtime.Simulated;

/// <summary>The dry-run microbenchmark: nccl-tests on the simulated cluster, with the same noise as the job.</summary>
public sealed class SimulatedCollectiveBenchmark(SimulatedCluster cluster) : ICollectiveBenchmark
{
    public Task<CollectiveBenchmarkReading?> MeasureAsync(CollectiveCall collective, NcclConfig config, CancellationToken cancellationToken) =>
        Task.FromResult(Measure(collective, config));

    private CollectiveBenchmarkReading? Measure(CollectiveCall collective, NcclConfig config)
    {
        if (!cluster.Hazards.Evaluate(config).IsOk)
        {
            return null;
        }

        NcclDecision? decision = cluster.Selector.Choose(collective, config);
        if (decision is null)
        {
            return null;
        }

        double truth = cluster.Truth.CallTimeUs(collective, decision, config);
        double noise = Math.Exp(cluster.Options.NoiseSigma * 0.5 * cluster.NextGaussian());
        return new CollectiveBenchmarkReading(truth * noise, decision.Channels);
    }
}
