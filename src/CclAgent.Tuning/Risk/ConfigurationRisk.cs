using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;

namespace CclAgent.Tuning.Risk;

/// <summary>
/// The agent's risk score for a configuration of a workload, with no memory of earlier failures: how
/// <c>bench</c> scores every strategy's trials the same way, so "risky applied" means one thing for all.
/// </summary>
public sealed class ConfigurationRisk(WorkloadSpec workload)
{
    /// <summary>At or above this score the agent never applies a configuration.</summary>
    public const double Threshold = RiskAssessment.Threshold;

    private readonly RiskScorer _scorer = new(
        NcclPlatform.FromCluster(workload.Cluster!),
        workload.Iteration!.Collectives!.Select(c => OpNames.Parse(c.Op!)).Distinct().ToArray(),
        workload.Iteration.GpuMemoryHeadroomGib,
        []);

    /// <summary>Risk in [0, 1] of moving from NCCL's defaults to <paramref name="config"/>.</summary>
    public double Score(NcclConfig config) => _scorer.Assess(config, NcclConfig.Default).Score;
}
