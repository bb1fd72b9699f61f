using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// InfiniBand/RoCE completion errors in the spellings people paste, read as one status, and fixes chosen by that status.
/// Every line is copied from the thread cited above it, unless marked constructed.
/// </summary>
public sealed class IbSpellingTests
{
    public static TheoryData<string, string, string> Spellings => new()
    {
        // https://github.com/NVIDIA/nccl-tests/issues/24: old form without the peer.
        { "gpu5:35917:35994 [0] transport/net_ib.cu:788 NCCL WARN NET/IB : Got completion with error 12, opcode 1, len 0, vendor err 129", "12", "129" },

        // https://github.com/NVIDIA/nccl/issues/1052 (the title): "from peer" with the peer left empty.
        { "transport/net_ib.cc:1295 NCCL WARN NET/IB : Got completion from peer with error 4, opcode 0, len 0, vendor err 81 (Send) localGid ::ffff: remoteGid ::ffff:", "4", "81" },

        // https://github.com/NVIDIA/nccl/issues/928: IPv6 link-local peer.
        { "H100-2:19989:20082 [1] transport/net_ib.cc:1295 NCCL WARN NET/IB : Got completion from peer fe80::966d:ae03:8b:df78%ib0<53249> with error 4, opcode 32564, len 32564, vendor err 81 (Send)", "4", "81" },

        // https://github.com/NVIDIA/nccl/issues/1664: a net plugin's prefix, no space before the colon.
        { "NET/IBP:Got completion from peer 7.6.13.83<36315> with status=12 opcode=32698 len=32696 vendor err 129 (Send)", "12", "129" },

        // https://github.com/NVIDIA/nccl/issues/1405: RoCE GIDs, "remoteGids" glued to the address.
        { "kp-ddp-worker-0:3468:3905 [4] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from peer 10.216.210.236<54862> with status=12 opcode=0 len=0 vendor err 129 (Recv) localGid fd00:1148:9000:5000:4:200:3:ff22 remoteGidsfd00:1148:9000:5000:4:200:3:ff1f", "12", "129" },

        // Constructed from the WARN format of current NVIDIA/nccl (src/transport/net_ib/: "status=%s(%d) opcode=%s(%d)
        // vendor_err=%u … hca %s"); no thread quotes a whole line of it yet.
        { "node1:2211:2290 [0] NCCL WARN NET/IB: Got completion from peer 10.0.0.2<41234> with status=IBV_WC_RETRY_EXC_ERR(12) opcode=IBV_WC_RECV_RDMA_WITH_IMM(129) vendor_err=129  localGid ::ffff:10.0.0.1 remoteGids::ffff:10.0.0.2 hca mlx5_2", "12", "129" },

        // https://github.com/openucx/ucx/issues/9515: UCX prints the mlx5 syndrome (0x4 = local protection) and the
        // vendor syndrome in hex; 0x51 is NCCL's vendor err 81.
        { "[a670n1:162239:0:162239] ib_mlx5_log.c:177  Local protection on mlx5_0:1/IB (synd 0x4 vend 0x51 hw_synd 0/2)", "4", "81" },

        // https://github.com/linux-rdma/perftest/issues/173: ib_write_bw's completion failure.
        { "  Failed status 4: wr_id 0 syndrom 0x51", "4", "81" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Every_spelling_of_a_completion_error_is_an_ib_network_error_with_its_status(string line, string status, string vendorErr)
    {
        DiagnosisReport report = Given.Diagnose(line);

        report.Verdict.Category.Should().Be(FailureCategory.IbNetworkError);
        var ib = report.Evidence.Single(e => e.Signal == "nccl_ib_completion_error");
        ib.Facts["status"].Should().Be(status);
        ib.Facts["vendor_err"].Should().Be(vendorErr);
        report.Verdict.RootCause.Should().Contain($"status {status}");
    }

    [Fact]
    public void A_kernel_mlx5_flush_syndrome_is_the_flush_status_and_a_cascade()
    {
        // https://github.com/linux-nvme/nvme-cli/issues/3268: the mlx5 driver's CQE report in dmesg (0x5 = flush; 0xf9 is
        // the vendor err 249 NCCL prints with its status 5).
        const string dmesg = """
            [15601.662156] infiniband rocep33s0f0: mlx5_poll_one:527:(pid 0): Responder error cqe on cqn 0x406:
            [15601.662158] infiniband rocep33s0f0: mlx5_poll_one:530:(pid 0): syndrome 0x5, vendor syndrome 0xf9
            """;

        DiagnosisReport report = Given.Diagnose(("dmesg.txt", dmesg));

        var flush = report.Evidence.Single(e => e.Signal == "nccl_ib_flush_error");
        flush.Facts["status"].Should().Be("5");
        flush.Facts["vendor_err"].Should().Be("249");
        flush.Facts["hca"].Should().Be("rocep33s0f0");
        report.Verdict.Category.Should().Be(FailureCategory.IbNetworkError);
        report.Verdict.Role.Should().Be(CausalRole.Cascade);
    }

    [Fact]
    public void An_async_event_with_the_device_named_first_is_a_port_event()
    {
        // https://github.com/NVIDIA/nccl/issues/1710, as pasted (the markdown link around the file name included).
        const string line = "node201:127799:127863 [0] transport/[net_ib.cc:101](http://net_ib.cc:101/) NCCL WARN NET/IB : mlx5_0:1 Got async event : local access violation work queue error";

        DiagnosisReport report = Given.Diagnose(line);

        var async = report.Evidence.Single(e => e.Signal == "nccl_ib_async_event");
        async.Facts["hca"].Should().Be("mlx5_0:1");
        async.Facts["event"].Should().Be("local access violation work queue error");
    }

    [Fact]
    public void A_failed_completion_queue_poll_is_an_ib_network_error_with_the_link_check_first()
    {
        // Constructed: the WARN format of NCCL's ibvwrap ("Call to ibv_poll_cq() returned %d") after the host prefix of
        // https://github.com/NVIDIA/nccl-tests/issues/24; the file:line is illustrative.
        DiagnosisReport report = Given.Diagnose("gpu5:35917:35994 [0] misc/ibvwrap.cc:321 NCCL WARN Call to ibv_poll_cq() returned -1");

        report.Verdict.Category.Should().Be(FailureCategory.IbNetworkError);
        report.Evidence.Single(e => e.Signal == "nccl_ib_poll_cq_error").Facts["rc"].Should().Be("-1");
        report.Verdict.RootCause.Should().Contain("ibv_poll_cq returned -1");
        report.Recommendations[0].Priority.Should().Be("CRITICAL");
        report.Recommendations[0].Action.Should().Contain("ibstat");
    }

    [Fact]
    public void Status_4_recommends_the_gdr_test_then_acs_off()
    {
        // https://github.com/NVIDIA/nccl/issues/928: the maintainer reads error 4 as ACS breaking GPUDirect RDMA and
        // confirms it with NCCL_NET_GDR_LEVEL; a commenter with the same error ran with it (slowly), then fast after disabling ACS.
        DiagnosisReport report = Given.Diagnose("H100-2:19989:20082 [1] transport/net_ib.cc:1295 NCCL WARN NET/IB : Got completion from peer fe80::966d:ae03:8b:df78%ib0<53249> with error 4, opcode 32564, len 32564, vendor err 81 (Send)");

        report.Recommendations[0].Env.Should().Be("NCCL_NET_GDR_LEVEL=LOC");
        report.Recommendations[0].Priority.Should().Be("CRITICAL");
        report.Recommendations.Should().Contain(r => r.Action.Contains("ACS") && r.Action.Contains("setpci"));
        report.Recommendations.Should().NotContain(r => r.Env == "NCCL_IB_TIMEOUT=22", "more retries do not fix a protection error");
    }

    [Fact]
    public void Status_12_on_roce_recommends_the_link_check_and_the_gid_index()
    {
        // https://github.com/NVIDIA/nccl/issues/1405 (RoCE: localGid/remoteGids on the line).
        DiagnosisReport report = Given.Diagnose("kp-ddp-worker-0:3468:3905 [4] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from peer 10.216.210.236<54862> with status=12 opcode=0 len=0 vendor err 129 (Recv) localGid fd00:1148:9000:5000:4:200:3:ff22 remoteGidsfd00:1148:9000:5000:4:200:3:ff1f");

        report.Recommendations[0].Priority.Should().Be("CRITICAL");
        report.Recommendations[0].Action.Should().Contain("10.216.210.236").And.Contain("ibstat");
        report.Recommendations.Should().Contain(r => r.Env == "NCCL_IB_GID_INDEX=3" && r.Priority == "HIGH" && r.Action.Contains("show_gids"));
        report.Recommendations.Should().Contain(r => r.Detail != null && r.Detail.Contains("NCCL_IB_TC="));
    }

    [Fact]
    public void Flushes_alone_say_to_look_for_the_first_other_error()
    {
        // https://github.com/NVIDIA/nccl/issues/1737: only status 5 in this log.
        const string log = """
            gh-3714u15:7038:7053 [0] ib_plugin.c:1007 NCCL WARN NET/IB : Got completion from peer 10.1.32.3<42519> with error 5, opcode 0, len 0, vendor err 249
            gh-3714u15:7038:7053 [0] NCCL INFO transport/net.cc:1117 -> 6
            gh-3714u15:7038:7053 [0] NCCL INFO proxy.cc:692 -> 6
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.IbNetworkError);
        report.Verdict.Role.Should().Be(CausalRole.Cascade);
        report.Recommendations[0].Action.Should().Contain("consequence").And.Contain("first other error");
    }

    [Fact]
    public void Status_13_points_at_the_peer_first()
    {
        // Constructed from the new form of https://github.com/NVIDIA/nccl/issues/1814 with status 13 (RNR retry exceeded).
        DiagnosisReport report = Given.Diagnose("hostname-test:984:1357 [4] ib_plugin.c:1615 NCCL WARN NET/IB : Got completion from peer 172.36.143.59<44206> with status=13 opcode=129 len=65536 vendor err 136 (Recv) localGid ::ffff:29.87.88.182 remoteGids::ffff:29.87.4.221");

        report.Verdict.RootCause.Should().Contain("IBV_WC_RNR_RETRY_EXC_ERR");
        report.Recommendations[0].Action.Should().Contain("172.36.143.59").And.Contain("stopped posting receives");
    }
}
