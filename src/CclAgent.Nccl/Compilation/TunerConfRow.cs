using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Compilation;

/// <summary>One row of NCCL's example tuner plugin CSV; null means -1 (any / NCCL decides).</summary>
public sealed record TunerConfRow(
    CollectiveOp Op,
    long MinBytes,
    long MaxBytes,
    NcclAlgorithm? Algorithm,
    NcclProtocol? Protocol,
    int? Channels,
    int? Nodes,
    int? Ranks);
