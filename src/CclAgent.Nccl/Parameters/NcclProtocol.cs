namespace CclAgent.Nccl.Parameters;

/// <summary>NCCL's wire protocols, numbered as in NCCL.</summary>
public enum NcclProtocol
{
    LL = 0,
    LL128 = 1,
    Simple = 2,
}
