using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// P2P hangs with no error: the classifier reasons from a hang (a timeout, or nothing after a clean init) plus indirect
/// evidence (a P2P bandwidth test, the topology, ACS, the IOMMU), and confirms with NCCL_P2P_DISABLE=1.
/// </summary>
public sealed class P2pHangTests
{
    // https://github.com/stas00/ml-engineering/issues/1 ("Parallel training hangs"): cuda-samples' p2pBandwidthLatencyTest
    // with peer writes at 1.6–2.6 GB/s against 13–22 GB/s for staged copies.
    private const string BandwidthTest = """
        Unidirectional P2P=Disabled Bandwidth Matrix (GB/s)
           D\D     0      1      2 
             0 673.20  13.15  13.15 
             1  12.99 673.20  22.20 
             2  13.00  21.98 673.78 
        Unidirectional P2P=Enabled Bandwidth (P2P Writes) Matrix (GB/s)
           D\D     0      1      2 
             0 673.49   2.60   1.58 
             1   2.12 672.33   1.70 
             2   2.12   1.60 673.78 
        Bidirectional P2P=Disabled Bandwidth Matrix (GB/s)
           D\D     0      1      2 
             0 677.73  18.01  18.02 
        """;

    // https://github.com/NVIDIA/nccl/issues/2079: two GPUs through the host bridge; the hang was fixed by disabling ACS.
    private const string Topology = """
                GPU0    GPU1    CPU Affinity    NUMA Affinity
        GPU0     X      NODE    0-63            0
        GPU1    NODE     X      0-63            0
        """;

    // https://github.com/NVIDIA/nccl/issues/1052: a clean NCCL init.
    private const string InitComplete = "node2:14159:14168 [0] NCCL INFO comm 0x55c6d68d7b20 rank 0 nranks 2 cudaDev 0 nvmlDev 2 busId 4c000 commId 0xbe1ea4dcf86be262 - Init COMPLETE";

    // https://github.com/NVIDIA/nccl/issues/606 (NCCL test hangs between two GPUs): lspci with ACS source validation on.
    private const string AcsOn = """
                        ACSCtl: SrcValid+ TransBlk- ReqRedir- CmpltRedir- UpstreamFwd- EgressCtrl- DirectTrans-
                        ACSCtl: SrcValid+ TransBlk- ReqRedir- CmpltRedir- UpstreamFwd- EgressCtrl- DirectTrans-
                        ACSCtl: SrcValid- TransBlk- ReqRedir- CmpltRedir- UpstreamFwd- EgressCtrl- DirectTrans-
        """;

    // https://github.com/NVIDIA/nccl/issues/1405: the same listing with ACS off everywhere.
    private const string AcsOff = """
          ACSCtl: SrcValid- TransBlk- ReqRedir- CmpltRedir- UpstreamFwd- EgressCtrl- DirectTrans-
          ACSCtl: SrcValid- TransBlk- ReqRedir- CmpltRedir- UpstreamFwd- EgressCtrl- DirectTrans-
        """;

    // https://github.com/ROCm/vllm/issues/390 (a multi-GPU hang without NCCL_P2P_DISABLE=1): RCCL's IOMMU warning.
    private const string RcclIommu = "supllm:402:402 [0] /longer_pathname_so_that_rpms_can_support_packaging_the_debug_info_for_all_os_profiles/src/out/ubuntu-22.04/22.04/build/rccl/hipify/src/init.cc:179 NCCL WARN Missing \"iommu=pt\" from kernel command line which can lead to system instablity or hang!";

    [Fact]
    public void A_bandwidth_test_with_peer_writes_far_below_copies_is_a_p2p_hang_with_both_figures()
    {
        DiagnosisReport report = Given.Diagnose(("p2pBandwidthLatencyTest.txt", BandwidthTest));

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
        var collapse = report.Evidence.Single(e => e.Signal == "p2p_bandwidth_collapse");
        collapse.Facts["p2p_enabled_gbps"].Should().Be("1.91");
        collapse.Facts["p2p_disabled_gbps"].Should().Be("13.15");
        report.Verdict.RootCause.Should().Contain("1.91 GB/s").And.Contain("13.15 GB/s");
        report.Recommendations[0].Env.Should().Be("NCCL_P2P_DISABLE=1");
    }

    [Fact]
    public void A_clean_init_then_nothing_on_gpus_joined_through_the_host_is_a_p2p_hang()
    {
        // Constructed: the topology of nccl#2079 and the init line of nccl#1052, then the log ends (the job spun forever).
        DiagnosisReport report = Given.Diagnose(("topo.txt", Topology), ("train.log", InitComplete));

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
        report.Evidence.Single(e => e.Signal == "gpu_pcie_path").Facts["links"].Should().Be("X NODE");
        report.Recommendations[0].Env.Should().Be("NCCL_P2P_DISABLE=1");
        report.Recommendations.Should().Contain(r => r.Action.Contains("setpci") && r.Priority == "HIGH");
    }

    [Fact]
    public void A_timeout_with_acs_redirection_on_is_a_p2p_hang_and_the_fix_names_acs()
    {
        // Constructed: the lspci lines of nccl#606 and the watchdog timeout of hiyouga/LlamaFactory#7396 (LogExcerpts.Watchdog).
        DiagnosisReport report = Given.Diagnose(("lspci.txt", AcsOn), ("train.log", Given.Training(5) + "\n" + LogExcerpts.Watchdog));

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
        report.Evidence.Should().ContainSingle(e => e.Signal == "pcie_acs_enabled");
        report.Recommendations.Should().Contain(r => r.Priority == "HIGH" && r.Action.StartsWith("lspci shows ACS redirection on", StringComparison.Ordinal));
    }

    [Fact]
    public void Acs_off_everywhere_is_no_evidence_and_the_timeout_stays_a_timeout()
    {
        DiagnosisReport report = Given.Diagnose(("lspci.txt", AcsOff), ("train.log", Given.Training(5) + "\n" + LogExcerpts.Watchdog));

        report.Evidence.Should().NotContain(e => e.Signal == "pcie_acs_enabled");
        report.Verdict.Category.Should().Be(FailureCategory.NcclTimeout);
    }

    [Fact]
    public void A_hang_after_init_with_the_iommu_not_in_passthrough_puts_iommu_pt_first()
    {
        // Constructed: RCCL's warning from ROCm/vllm#390 and the init line of nccl#1052, then nothing.
        DiagnosisReport report = Given.Diagnose(RcclIommu + "\n" + InitComplete);

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
        report.Recommendations.Should().Contain(r => r.Priority == "HIGH" && r.Action.Contains("iommu=pt"));
    }

    [Fact]
    public void The_marks_of_broken_p2p_do_not_outrank_a_named_fault()
    {
        DiagnosisReport report = Given.Diagnose(("topo.txt", Topology), ("lspci.txt", AcsOn), ("train.log", InitComplete + "\n" + LogExcerpts.CudaOomNew));

        report.Verdict.Category.Should().Be(FailureCategory.CudaOom);
    }

    [Fact]
    public void A_topology_with_nvlink_between_the_gpus_is_no_mark()
    {
        // https://github.com/NVIDIA/nccl/issues/634: NV4 between the GPUs; the PCIe links are to the NICs.
        const string nvlink = """
                    GPU0    GPU1    GPU2    GPU3    mlx5_0  mlx5_1  mlx5_2  mlx5_3  CPU Affinity    NUMA Affinity
            GPU0     X      NV4     NV4     NV4     NODE    NODE    NODE    NODE    0-35    0
            GPU1    NV4      X      NV4     NV4     NODE    NODE    NODE    NODE    0-35    0
            """;

        DiagnosisReport report = Given.Diagnose(("topo.txt", nvlink), ("train.log", InitComplete));

        report.Evidence.Should().NotContain(e => e.Signal == "gpu_pcie_path");
        report.Verdict.Category.Should().Be(FailureCategory.Unknown);
    }
}
