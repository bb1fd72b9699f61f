using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;
using static CclAgent.Diagnosis.Tests.LogExcerpts;

namespace CclAgent.Diagnosis.Tests;

/// <summary>Mixed logs: the first fault is not the last line, and the cascades after it must not win.</summary>
public sealed class CascadeTests
{
    [Fact]
    public void Watchdog_timeout_after_an_ib_error_is_a_cascade()
    {
        string log = Given.Training(100) + "\n" + IbNew + "\n" + IbFlush + "\n" + Given.Training(3, 101) + "\n" + Watchdog + "\n" + WatchdogStatus + "\n"
            + "torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1970, unhandled system error\n" + TorchrunKilled;

        DiagnosisReport report = Given.Diagnose(log);

        Assert.Equal(FailureCategory.IbNetworkError, report.Verdict.Category);
        Assert.Equal(101, report.Evidence.First(e => e.Id == report.Verdict.EvidenceIds[0]).Line);
        Assert.All(report.Evidence.Where(e => e.Category == FailureCategory.NcclTimeout), e => Assert.Equal(CausalRole.Cascade, e.Role));
        Assert.Equal(CausalRole.Cascade, report.Evidence.Single(e => e.Signal == "nccl_ib_flush_error").Role);
        Assert.True(report.Verdict.Confidence >= 0.8, $"confidence {report.Verdict.Confidence}");
    }

    [Fact]
    public void Killed_after_the_oom_killer_is_a_confirmation()
    {
        DiagnosisReport report = Given.Diagnose(("dmesg.txt", OomKiller), ("train.log", Given.Training(20) + "\n" + WorkerKilled + "\n" + TorchrunKilled));

        Assert.Equal(FailureCategory.HostOom, report.Verdict.Category);
        Assert.All(report.Evidence.Where(e => e.Signal == "process_sigkill"), e => Assert.Equal(CausalRole.Confirmation, e.Role));
        Assert.Contains(report.Verdict.Reasoning, r => r.Contains("confirms it"));
        Assert.Contains("21 GiB", report.Verdict.RootCause);
    }

    [Fact]
    public void A_bare_killed_line_is_a_weak_host_oom_guess_not_a_confident_one()
    {
        DiagnosisReport report = Given.Diagnose(Given.Training(20) + "\nKilled\n");

        Assert.Equal(FailureCategory.HostOom, report.Verdict.Category);
        Assert.Equal(CausalRole.Confirmation, report.Verdict.Role);
        Assert.True(report.Verdict.Confidence < 0.4);
        Assert.Contains(report.Recommendations, r => r.Action.Contains("dmesg"));
    }

    [Fact]
    public void Xid_79_on_one_node_explains_socket_and_watchdog_errors_on_another()
    {
        DiagnosisReport report = Given.Diagnose(
            ("node2/train.log", Given.Training(30) + "\n" + SocketClosed + "\n" + SocketAbort + "\n" + Watchdog),
            ("node1/dmesg.txt", "[100.0] usb 1-1: new device\n" + Xid79 + "\n" + Xid154));

        Assert.Equal(FailureCategory.GpuXid, report.Verdict.Category);
        Assert.Equal("node1/dmesg.txt", report.Evidence.First(e => e.Id == report.Verdict.EvidenceIds[0]).File);
        Assert.All(report.Evidence.Where(e => e.Category == FailureCategory.SocketNetworkError), e => Assert.Equal(CausalRole.Cascade, e.Role));
    }

    [Fact]
    public void Cuda_oom_wins_over_the_nccl_errors_and_exception_that_follow_it()
    {
        string log = Given.Training(50) + "\n" + CudaOomOld + "\n"
            + "[rank1]: RuntimeError: NCCL communicator was aborted on rank 1.\n"
            + "torch.distributed.elastic.multiprocessing.errors.ChildFailedError:\n" + WatchdogOld;

        DiagnosisReport report = Given.Diagnose(log);

        Assert.Equal(FailureCategory.CudaOom, report.Verdict.Category);
        Assert.Equal(FailureDomain.Workload, report.Verdict.Domain);
    }

    [Fact]
    public void Ecc_error_before_nan_makes_the_nan_a_cascade()
    {
        DiagnosisReport report = Given.Diagnose(Given.Training(10) + "\n" + EccWatchdog + "\n" + NanDetectron);

        Assert.Equal(FailureCategory.EccUncorrectable, report.Verdict.Category);
        Assert.Equal(CausalRole.Cascade, report.Evidence.Single(e => e.Category == FailureCategory.NanOrInf).Role);
    }

    [Fact]
    public void Exception_raised_after_a_bootstrap_failure_is_how_it_surfaced()
    {
        string log = BootstrapIfname + "\n" + Bootstrap + "\nrcvlab:1:1 [0] NCCL INFO init.cc:82 -> 3\nTraceback (most recent call last):\n  File \"/workspace/main.py\", line 12, in <module>\nRuntimeError: ProcessGroupNCCL is only supported with GPUs, no GPUs found!";

        DiagnosisReport report = Given.Diagnose(log);

        Assert.Equal(FailureCategory.BootstrapInterface, report.Verdict.Category);
        Assert.Equal("eth0", report.Evidence[0].Facts["nccl_socket_ifname"]);
        Assert.Equal(CausalRole.Cascade, report.Evidence.Single(e => e.Signal == "python_exception").Role);
    }

    [Fact]
    public void The_first_error_of_a_log_wins_a_tie_and_two_independent_faults_lower_the_confidence()
    {
        string shm = "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm).";
        DiagnosisReport report = Given.Diagnose(Given.Training(5) + "\n" + SocketConnect + "\n" + Given.Training(5, 6) + "\n" + shm);

        Assert.Equal(FailureCategory.SocketNetworkError, report.Verdict.Category);
        Assert.Equal(2, report.Candidates.Count);
        Assert.True(report.Verdict.Confidence < 0.7, $"confidence {report.Verdict.Confidence}");
    }
}
