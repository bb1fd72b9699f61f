using CclAgent.Nccl.Platforms;

namespace CclAgent.Simulation.Hardware;

/// <summary>
/// Physical constants of the ground truth. Link rates are vendor specifications; efficiencies are
/// fitted to the published nccl-tests rows named beside them (docs/simulator.md, bench/calibration/).
/// </summary>
public static class HardwareConstants
{
    /// <summary>NVLink bandwidth per GPU per direction (GB/s): V100 6×25, A100 12×25, H100 18×25, B200 18×50.</summary>
    public static double NvlinkPerGpu(GpuGeneration generation) => generation switch
    {
        GpuGeneration.Volta => 150,
        GpuGeneration.Ampere => 300,
        GpuGeneration.Hopper => 450,
        _ => 900,
    };

    /// <summary>Usable PCIe x16 bandwidth per direction (GB/s): Gen3 12 (NCCL's PCI_BW), Gen4 24, Gen5 48.</summary>
    public static double PciePerDirection(int generation) => generation switch
    {
        <= 3 => 12,
        4 => 24,
        _ => 48,
    };

    /// <summary>Ring efficiency over NVSwitch: a100-nvs-ar-8g-large (232 of 300 GB/s); H100 ring ≈ 370 of 450 (NVIDIA, nccl-tests#290).</summary>
    public static double NvSwitchRingEfficiency(GpuGeneration generation) => generation >= GpuGeneration.Hopper ? 0.82 : 0.78;

    /// <summary>Ring efficiency over point-to-point NVLink bridges: a40-nvbridge-ar-2g-large (47.5 of 56 GB/s).</summary>
    public const double NvLinkBridgeEfficiency = 0.85;

    /// <summary>
    /// NVLS all-reduce moves S per GPU through the switch at this fraction of NVLink rate. Fitted to the 2-node H100
    /// rows where the simulator runs NVLS (h100-ib-ar-2x8-large 468, -k8s-large 391, h100-efa 479, h100-roce 465 GB/s
    /// busbw on the same hardware): 0.57 keeps the whole spread within ±25%; 0.60 matched the single-node peak
    /// (h100-nvs-ar-8g-large, 473.6) but put the k8s row at +29%.
    /// </summary>
    public const double NvlsAllReduceEfficiency = 0.57;

    /// <summary>Fraction of PCIe rate for a P2P hop under one PCIe switch (PIX/PXB).</summary>
    public const double PcieSwitchP2P = 0.85;

    /// <summary>P2P through the CPU host bridge (PHB): fast on Intel root complexes, poor on AMD (why NCCL defaults differ by vendor).</summary>
    public static double PcieHostBridgeP2P(bool amd) => amd ? 0.50 : 0.80;

    /// <summary>P2P across CPU sockets (SYS): the inter-socket link throttles peer writes.</summary>
    public static double PcieCrossSocketP2P(bool amd) => amd ? 0.35 : 0.45;

    /// <summary>Shared-memory transport through host DRAM (P2P disabled): rtx4090-pcie-ar-8g-large (14.45 of 24 GB/s).</summary>
    public const double PcieShm = 0.58;

    /// <summary>Extra per-hop latency (µs) of the shared-memory transport.</summary>
    public const double ShmHopLatencyUs = 1.5;

    /// <summary>
    /// Wire efficiency of a NIC with enough queue pairs. IB 0.85: a compromise between a100-ib-ar-2x8-large (ring, wants 0.94)
    /// and the 4- and 8-node H100 NVLS rows h100-ib-ar-4x8-vm-large / h100-net-ar-8x8-large (want ≈ 0.71); RoCE 0.90
    /// (a100-roce-ar-2x8-large, h100-roce-ar-2x8-large), EFA 0.90 (h100-efa-ar-2x8-large).
    /// </summary>
    public static double NicEfficiency(NetworkKind kind) => kind switch
    {
        NetworkKind.InfiniBand => 0.85,
        NetworkKind.Roce => 0.90,
        NetworkKind.Efa => 0.90,
        _ => 0.85,
    };

    /// <summary>
    /// On ECMP fabrics flows hash onto paths; with few QPs per connection collisions waste bandwidth.
    /// Fraction of the NIC's rate reached with q QPs (1 QP ≈ 70%, 8 QPs ≈ 99%).
    /// </summary>
    public static double EcmpQpFactor(int qps) => 1 - (0.30 / Math.Sqrt(qps)) + (0.30 / Math.Sqrt(128)) - 0.005;

    /// <summary>Extra latency per network hop (µs) by transport, beyond NCCL's NET hop latency.</summary>
    public static double NetExtraLatencyUs(NetworkKind kind) => kind switch
    {
        NetworkKind.InfiniBand => 1.0,
        NetworkKind.Roce => 2.0,
        NetworkKind.Tcp => 0.0,
        NetworkKind.Efa => 30.0,
        _ => 0.0,
    };

    /// <summary>
    /// Throughput of one TCP stream through NCCL's socket transport (GB/s) before the host-staging factor
    /// (<see cref="GdrOffBandwidth"/>, sockets never use GDR). Fitted to l40s-tcp-ar-2x1-large: 8.11 GB/s over the
    /// 2 default channels = 4.05 GB/s per stream after staging, 8.0 × 0.5 = 4.0.
    /// </summary>
    public const double TcpStreamGbps = 8.0;

    /// <summary>
    /// Staging through host memory when GPUDirect RDMA is off: bandwidth factor and added µs per network hop.
    /// Bandwidth fitted to a100pcie-ib-ar-2x1-large (8.79 of 25 GB/s HDR, NIC across sockets, GDR off): the only
    /// published GDR-off RDMA row; 0.80 gave 2.04× its busbw. Latency not fitted (no row isolates it).
    /// </summary>
    public const double GdrOffBandwidth = 0.50;
    public const double GdrOffLatencyUs = 2.0;

    /// <summary>GPUDirect RDMA across a host bridge works well; across sockets peer reads are slow.</summary>
    public static double GdrPathFactor(Nccl.Parameters.PathLevel gpuNicPath) => gpuNicPath switch
    {
        <= Nccl.Parameters.PathLevel.PXB => 1.0,
        Nccl.Parameters.PathLevel.PHB => 0.95,
        _ => 0.60,
    };

    /// <summary>Per-channel copy rate (GB/s) of one CTA with 512 threads, Simple protocol.</summary>
    public static double ChannelCopyRate(GpuGeneration generation) => generation switch
    {
        GpuGeneration.Volta => 16,
        GpuGeneration.Ampere => 22,
        GpuGeneration.Hopper => 34,
        _ => 50,
    };

    /// <summary>Kernel launch and completion overhead seen by nccl-tests per collective (µs).</summary>
    public const double LaunchOverheadUs = 4.0;

    /// <summary>Real hop latencies exceed NCCL's table by this factor (flag polling, proxy progress): small-message rows.</summary>
    public const double LatencyTruthFactor = 1.3;

    /// <summary>Tree all-reduce pipelines less perfectly than NCCL assumes (nccl#1357): fraction of link rate reached.</summary>
    public const double TreeEfficiency = 0.70;
}
