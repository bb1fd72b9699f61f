using CclAgent.Nccl.Collectives;
using CclAgent.Simulation.CostModel;

namespace CclAgent.Simulation.Truth;

/// <summary>One collective of the iteration: NCCL's decision for it and its true time.</summary>
public sealed record CollectiveTiming(string Name, CollectiveCall Call, NcclDecision Decision, double CallTimeUs, int Count, double Overlap)
{
    public double TotalMs => CallTimeUs * Count / 1000.0;
}
