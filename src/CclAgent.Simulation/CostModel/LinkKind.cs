namespace CclAgent.Simulation.CostModel;

/// <summary>NCCL's hardware link classes for latency lookups (nccl_tuner.h).</summary>
public enum LinkKind
{
    NvLink = 0,
    Pci = 1,
    Net = 2,
}
