using CclAgent.Nccl.Parameters;

namespace CclAgent.Simulation.Truth;

/// <summary>One collective invocation as the simulator sees it.</summary>
public sealed record CollectiveCall(CollectiveOp Op, long Bytes, int Nodes, int RanksPerNode, int ConcurrentGroups = 1)
{
    public int Ranks => Nodes * RanksPerNode;

    /// <summary>Ring steps (nsteps in NCCL's model): 2(n−1) for all-reduce, n−1 for gather/scatter, n otherwise.</summary>
    public int RingSteps => Op switch
    {
        CollectiveOp.AllReduce => 2 * (Ranks - 1),
        CollectiveOp.AllGather or CollectiveOp.ReduceScatter => Ranks - 1,
        _ => Ranks,
    };

    /// <summary>nccl-tests' bus-bandwidth factor for this op.</summary>
    public double BusBandwidthFactor => Op switch
    {
        CollectiveOp.AllReduce => 2.0 * (Ranks - 1) / Ranks,
        CollectiveOp.AllGather or CollectiveOp.ReduceScatter => (Ranks - 1) / (double)Ranks,
        _ => 1.0,
    };
}
