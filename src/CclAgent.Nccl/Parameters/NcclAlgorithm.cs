namespace CclAgent.Nccl.Parameters;

/// <summary>NCCL's collective algorithms, numbered as in src/include/nccl_common.h.</summary>
public enum NcclAlgorithm
{
    Tree = 0,
    Ring = 1,
    CollnetDirect = 2,
    CollnetChain = 3,
    Nvls = 4,
    NvlsTree = 5,
    Pat = 6,
}
