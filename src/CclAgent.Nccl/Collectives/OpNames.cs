using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Collectives;

/// <summary>Maps workload op names (all_reduce, …) to NCCL's collectives.</summary>
public static class OpNames
{
    public static IReadOnlyList<string> All { get; } = ["all_reduce", "all_gather", "reduce_scatter", "broadcast", "reduce"];

    public static CollectiveOp Parse(string name) => name.ToLowerInvariant() switch
    {
        "all_reduce" or "allreduce" => CollectiveOp.AllReduce,
        "all_gather" or "allgather" => CollectiveOp.AllGather,
        "reduce_scatter" or "reducescatter" => CollectiveOp.ReduceScatter,
        "broadcast" => CollectiveOp.Broadcast,
        "reduce" => CollectiveOp.Reduce,
        _ => throw new ArgumentException($"unknown collective '{name}'", nameof(name)),
    };
}
