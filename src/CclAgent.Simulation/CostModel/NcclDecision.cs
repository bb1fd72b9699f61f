using CclAgent.Nccl.Parameters;

namespace CclAgent.Simulation.CostModel;

/// <summary>What NCCL runs a collective with: algorithm, protocol, channels, threads and chunk, plus its own time estimate.</summary>
public sealed record NcclDecision(NcclAlgorithm Algorithm, NcclProtocol Protocol, int Channels, int Threads, long ChunkBytes, double ModelTimeUs);
