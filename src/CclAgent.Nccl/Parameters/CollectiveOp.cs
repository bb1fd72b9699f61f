namespace CclAgent.Nccl.Parameters;

/// <summary>Collective operations, numbered as NCCL's ncclFunc_t.</summary>
public enum CollectiveOp
{
    Broadcast = 0,
    Reduce = 1,
    AllGather = 2,
    ReduceScatter = 3,
    AllReduce = 4,
}
