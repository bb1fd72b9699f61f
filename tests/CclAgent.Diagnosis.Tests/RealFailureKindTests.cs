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
}
