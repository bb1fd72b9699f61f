namespace CclAgent.Nccl.Parameters;

/// <summary>
/// Topology distance used by NCCL_P2P_LEVEL and NCCL_NET_GDR_LEVEL, from closest to farthest:
/// same GPU, NVLink, one PCIe switch, several PCIe switches, through the CPU host bridge, across sockets.
/// </summary>
public enum PathLevel
{
    LOC = 0,
    NVL = 1,
    PIX = 2,
    PXB = 3,
    PHB = 4,
    SYS = 5,
}
