using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// The kinds the real-failure corpus's fit half taught the matchers, on the excerpts as the threads pasted them (each
/// comment names the RealFailures/ case whose case.json cites the thread and its confirmed cause).
/// </summary>
public sealed class RealFailureKindTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // RealFailures/fcos-nfs-kworker-soft-lockup-1841: the task name holds colons.
        { FailureCategory.CpuSoftLockup, "cpu_soft_lockup", "Nov 17 15:41:58 coreos kernel: watchdog: BUG: soft lockup - CPU#2 stuck for 78s! [kworker/u16:7:101418]" },

        // RealFailures/langchain-chatglm-killed-loading-shards-35: the shell's "Killed" right after the progress bar.
        { FailureCategory.HostOom, "process_sigkill", "Loading checkpoint shards:  38%|██████▊           | 3/8 [00:02<00:03,  1.28it/s]Killed" },

        // RealFailures/re2-nan-gradients-empty-string-3
        { FailureCategory.NanOrInf, "loss_non_finite", "assert gnorm >= 0, 'encounter nan in gradients" },

        // RealFailures/nccl-tests-no-ip-iface-docker-14
        { FailureCategory.BootstrapInterface, "nccl_socket_family_unsupported", "NCCL failure common.cu:874 'unhandled system error'\ne66aa18dc444:3171:3171 [0] include/socket.h:311 WARN Socket creation failed : Address family not supported by protocol" },

        // RealFailures/dsexamples-remote-error-socket-ifname-br0-845: a lone remote error leads to the network.
        { FailureCategory.SocketNetworkError, "nccl_remote_error", "torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1333, remote process exited or there was a network error, NCCL version 2.18.6" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_real_excerpt_gives_its_confirmed_category_from_the_signal_that_names_it(string category, string signal, string excerpt)
    {
        DiagnosisReport report = Given.Diagnose(excerpt + "\n");

        report.Verdict.Category.Should().Be(category);
        report.Evidence.Should().Contain(e => e.Signal == signal);
    }

    [Fact]
    public void Nccl_tests_that_stop_after_setup_on_one_host_are_a_p2p_hang_and_a_finished_run_is_not()
    {
        // RealFailures/nccl-allreduce-hang-iommu-257 (NVIDIA/nccl#257): one process, four GPUs, nothing after the affinity lines.
        const string Hang = """
            # nThread 1 nGpus 4 minBytes 8 maxBytes 268435456 step: 2(factor) warmup iters: 5 iters: 20 validation: 1
            jupyter-vmarkovtsev:15833:15833 [0] NCCL INFO NET/Socket : Using [0]eth0:10.2.3.32<0>
            NCCL version 2.4.8+cuda10.0
            jupyter-vmarkovtsev:15833:15833 [3] NCCL INFO nranks 4
            jupyter-vmarkovtsev:15833:15833 [0] NCCL INFO Setting affinity for GPU 0 to ff00ff
            jupyter-vmarkovtsev:15833:15833 [1] NCCL INFO Setting affinity for GPU 1 to ff00ff
            """;

        Given.Diagnose(Hang + "\n").Verdict.Category.Should().Be(FailureCategory.P2pHang);
        Given.Diagnose(Hang + "\n# Out of bounds values : 0 OK\n# Avg bus bandwidth    : 10.5 \n").Verdict.Category.Should().Be(FailureCategory.Unknown, "the summary says the collectives finished");
    }

    [Fact]
    public void A_kernel_memory_report_with_a_zone_below_its_minimum_is_host_oom_and_one_above_it_is_not()
    {
        // RealFailures/dask-worker-oom-kernel-meminfo-6110 (dask/distributed#6110): the report without its Killed-process line.
        const string Report = """
            Apr 16 22:19:53 ip-10-4-7-213 kernel: [ 1690.474119] Node 0 DMA free:14336kB min:128kB low:160kB high:192kB reserved_highatomic:0KB active_anon:0kB
            Apr 16 22:19:53 ip-10-4-7-213 kernel: [ 1690.474140] Node 0 Normal free:40804kB min:41320kB low:51648kB high:61976kB reserved_highatomic:0KB active_anon:940kB
            """;

        DiagnosisReport report = Given.Diagnose(Report + "\n");

        report.Verdict.Category.Should().Be(FailureCategory.HostOom);
        report.Verdict.RootCause.Should().Contain("Normal").And.Contain("40804");
        Given.Diagnose(Report.Split('\n')[0] + "\n").Verdict.Category.Should().Be(FailureCategory.Unknown, "a zone above its min watermark is a healthy report");
    }

    [Fact]
    public void Nccl_rings_over_p2p_then_silence_on_one_host_is_a_p2p_hang_whose_first_fix_disables_p2p()
    {
        // RealFailures/lightning-ddp-hang-p2p-ipc-19425 (Lightning-AI/pytorch-lightning#19425).
        const string Hang = """
            user-SYS-4029GP-TRT:34364:35141 [2] NCCL INFO Channel 00 : 2[1d000] -> 3[1e000] via P2P/IPC
            user-SYS-4029GP-TRT:34770:35139 [6] NCCL INFO Channel 00 : 6[40000] -> 0[1b000] via direct shared memory
            user-SYS-4029GP-TRT:34364:35141 [2] NCCL INFO Connected all rings
            """;

        DiagnosisReport report = Given.Diagnose(Hang + "\n");

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
        report.Recommendations[0].Env.Should().Be("NCCL_P2P_DISABLE=1");
    }

    [Fact]
    public void Only_the_first_nccl_init_lines_of_one_host_are_a_low_confidence_p2p_hang_but_not_on_a_bridge()
    {
        // RealFailures/nccl-tests-4090-hang-p2p-disable-117 (NVIDIA/nccl-tests#117): all the log there is.
        const string Init = """
            worker2-us-opwest-1:182125:182125 [0] NCCL INFO Bootstrap : Using eno2:10.1.10.95<0>
            worker2-us-opwest-1:182125:182125 [0] NCCL INFO NET/Plugin : No plugin found (libnccl-net.so), using internal implementation
            """;

        DiagnosisReport report = Given.Diagnose(Init + "\n");

        report.Verdict.Category.Should().Be(FailureCategory.P2pHang);
        report.Verdict.Confidence.Should().BeLessThan(0.5);
        Given.Diagnose(Init.Replace("eno2:10.1.10.95", "docker0:172.17.0.1", StringComparison.Ordinal) + "\n").Verdict.Category
            .Should().Be(FailureCategory.BootstrapInterface, "a bridge is the lead when NCCL bootstrapped over one");
    }
}
