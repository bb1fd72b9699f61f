using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Collectives;

/// <summary>One collective invocation: the op, its message size and the communicator's shape (what a benchmark times and a cost model prices).</summary>
public sealed record CollectiveCall(CollectiveOp Op, long Bytes, int Nodes, int RanksPerNode, int ConcurrentGroups = 1)
{
    public int Ranks => Nodes * RanksPerNode;

    /// <summary>The call a workload's collective entry describes (one node, one rank and one group unless the spec says otherwise).</summary>
    public static CollectiveCall From(CollectiveSpec spec) => new(
        OpNames.Parse(spec.Op!),
        spec.Bytes!.Value,
        spec.Nodes ?? 1,
        spec.RanksPerNode ?? 1,
        Math.Max(1, spec.ConcurrentGroups));

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
