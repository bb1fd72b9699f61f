using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Matchers;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// Where the ranks run, read from NCCL's and nccl-tests' own lines: when every rank is on one host, no other node has to
/// reach NCCL's interfaces, so a container bridge in the list is not the fault of a hang there.
/// </summary>
public sealed class RankPlacementTests
{
    // https://github.com/NVIDIA/nccl-tests/issues/213: NCCL 2.19+'s per-rank init line on one node.
    private const string OneNode = """
        hw14:798:811 [1] NCCL INFO comm 0x55a7be569d00 rank 1 nRanks 8 nNodes 1 localRanks 8 localRank 1 MNNVL 0
        hw14:798:812 [2] NCCL INFO comm 0x55a7be570210 rank 2 nRanks 8 nNodes 1 localRanks 8 localRank 2 MNNVL 0
        hw14:798:810 [0] NCCL INFO comm 0x55a7be5601c0 rank 0 nRanks 8 nNodes 1 localRanks 8 localRank 0 MNNVL 0
        """;

    // https://github.com/NVIDIA/nccl-tests/issues/217 (the terminal's wrap inside the NET/Socket line joined): one GPU,
    // the test hangs; NCCL lists the real NIC and two Docker bridges.
    private const string OneRankWithBridges = """
        #  Rank  0 Group  0 Pid  69438 on NAME device  0 [0x01] NVIDIA RTX A6000
        NAME :69438:69438 [0] NCCL INFO Bootstrap : Using enp3s0f0:10.50.56.33<0>
        NAME :69438:69438 [0] NCCL INFO NET/Plugin: No plugin found (libnccl-net.so)
        NAME :69438:69438 [0] NCCL INFO NET/Plugin: Using internal network plugin.
        NAME :69438:69438 [0] NCCL INFO cudaDriverVersion 12040
        NCCL version 2.21.5+cuda12.4
        NAME :69438:69444 [0] NCCL INFO NET/IB : No device found.
        NAME :69438:69444 [0] NCCL INFO NET/Socket : Using [0]enp3s0f0:10.50.56.33<0> [1]br-50a6a39f12ff:172.18.0.1<0> [2]br-93ef2f1539c5:172.25.0.1<0>
        """;

    [Fact]
    public void Nccls_nnodes_1_puts_every_rank_on_its_host()
    {
        RankPlacement placement = Read(OneNode);

        placement.SingleHost.Should().Be("hw14");
        placement.Ranks.Should().Be(8);
    }

    [Fact]
    public void Nnodes_2_is_not_one_host_even_when_one_hosts_lines_are_all_the_log_shows()
    {
        // https://github.com/NVIDIA/nccl/issues/1412: the first node's lines of a two-node job.
        RankPlacement placement = Read("""
            swat1-04:2017630:2017675 [6] NCCL INFO comm 0x8ec0ac0 rank 6 nRanks 16 nNodes 2 localRanks 8 localRank 6 MNNVL 0
            swat1-04:2017630:2017672 [3] NCCL INFO comm 0x8e0c400 rank 3 nRanks 16 nNodes 2 localRanks 8 localRank 3 MNNVL 0
            """);

        placement.SingleHost.Should().BeNull();
    }

    [Fact]
    public void Nccl_tests_device_table_on_one_host_puts_every_rank_there()
    {
        // https://github.com/NVIDIA/nccl/issues/257: rank 0 prints the row of every rank.
        RankPlacement placement = Read("""
            #   Rank  0 Pid  15833 on jupyter-vmarkovtsev device  0 [0x02] GeForce GTX 1080 Ti
            #   Rank  1 Pid  15833 on jupyter-vmarkovtsev device  1 [0x03] GeForce GTX 1080 Ti
            #   Rank  2 Pid  15833 on jupyter-vmarkovtsev device  2 [0x82] GeForce GTX 1080 Ti
            #   Rank  3 Pid  15833 on jupyter-vmarkovtsev device  3 [0x83] GeForce GTX 1080 Ti
            """);

        placement.SingleHost.Should().Be("jupyter-vmarkovtsev");
        placement.Ranks.Should().Be(4);
    }

    [Fact]
    public void A_device_table_over_two_hosts_is_not_one_host()
    {
        // https://github.com/NVIDIA/nccl-tests/issues/294: ranks 0–7 on h100-2, 8 on h100-4.
        RankPlacement placement = Read("""
            #  Rank  7 Group  0 Pid 895552 on     h100-2 device  7 [0003:00:04] NVIDIA H100 80GB HBM3
            #  Rank  8 Group  0 Pid 739786 on     h100-4 device  0 [0002:00:01] NVIDIA H100 80GB HBM3
            """);

        placement.SingleHost.Should().BeNull();
    }

    [Fact]
    public void Init_lines_of_some_ranks_of_a_larger_job_say_nothing()
    {
        // https://github.com/NVIDIA/nccl/issues/1027: seven of eight ranks' Init COMPLETE lines as pasted.
        RankPlacement placement = Read("""
            UIBE-DC-GPUSVR-01:13313:13988 [0] NCCL INFO comm 0x55b4098aaff0 rank 0 nranks 8 cudaDev 0 nvmlDev 0 busId 4f000 commId 0xb9b42cb8fce289f2 - Init COMPLETE
            UIBE-DC-GPUSVR-01:13313:13992 [4] NCCL INFO comm 0x55b4098c56f0 rank 4 nranks 8 cudaDev 4 nvmlDev 4 busId ce000 commId 0xb9b42cb8fce289f2 - Init COMPLETE
            UIBE-DC-GPUSVR-01:13313:13994 [6] NCCL INFO comm 0x55b4098d10b0 rank 6 nranks 8 cudaDev 6 nvmlDev 6 busId d5000 commId 0xb9b42cb8fce289f2 - Init COMPLETE
            UIBE-DC-GPUSVR-01:13313:13990 [2] NCCL INFO comm 0x55b4098b9f50 rank 2 nranks 8 cudaDev 2 nvmlDev 2 busId 56000 commId 0xb9b42cb8fce289f2 - Init COMPLETE
            UIBE-DC-GPUSVR-01:13313:13993 [5] NCCL INFO comm 0x55b4098cb3d0 rank 5 nranks 8 cudaDev 5 nvmlDev 5 busId d1000 commId 0xb9b42cb8fce289f2 - Init COMPLETE
            UIBE-DC-GPUSVR-01:13313:13989 [1] NCCL INFO comm 0x55b4098b4310 rank 1 nranks 8 cudaDev 1 nvmlDev 1 busId 52000 commId 0xb9b42cb8fce289f2 - Init COMPLETE
            """);

        placement.SingleHost.Should().BeNull();
    }

    [Fact]
    public void A_hang_of_a_single_rank_is_not_blamed_on_the_bridges_nccl_listed()
    {
        DiagnosisReport report = Given.Diagnose(OneRankWithBridges);

        report.Verdict.Category.Should().NotBe(FailureCategory.BootstrapInterface);
        report.Evidence.Should().Contain(e => e.Signal == "ranks_on_one_host" && e.Facts["host"] == "NAME");
    }

    [Fact]
    public void A_hang_of_several_ranks_on_one_host_with_a_bridge_listed_is_a_p2p_hang()
    {
        // Constructed: the init lines of nccl-tests#213 (8 ranks, nNodes 1 on hw14), then a NET/Socket line of the shape
        // of nccl-tests#217's with a Docker bridge, and nothing after.
        string log = OneNode + "\nhw14:798:798 [0] NCCL INFO NET/Socket : Using [0]eth0:10.0.0.14<0> [1]docker0:172.17.0.1<0>\nhw14:798:810 [0] NCCL INFO comm 0x55a7be5601c0 rank 0 nranks 8 cudaDev 0 nvmlDev 0 busId 18000 commId 0x1 - Init COMPLETE";

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
        report.Verdict.RootCause.Should().Contain("hw14");
        report.Recommendations.Should().Contain(r => r.Env == "NCCL_P2P_DISABLE=1");
    }

    private static RankPlacement Read(string text)
    {
        var placement = new RankPlacement();
        foreach (string line in text.Split('\n'))
        {
            placement.Observe(line.TrimEnd('\r'));
        }

        return placement;
    }
}
