namespace CclAgent.Nccl.Platforms;

/// <summary>How GPUs inside a node talk: all-to-all NVSwitch, point-to-point NVLink, or PCIe only.</summary>
public enum IntraFabric
{
    NvSwitch,
    NvLink,
    Pcie,
}
