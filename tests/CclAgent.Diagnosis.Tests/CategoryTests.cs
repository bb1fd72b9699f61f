using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;
using static CclAgent.Diagnosis.Tests.LogExcerpts;

namespace CclAgent.Diagnosis.Tests;

/// <summary>Each category, from real-format lines inside ordinary training output.</summary>
public sealed class CategoryTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { FailureCategory.IbNetworkError, IbNew },
        { FailureCategory.IbNetworkError, IbOld },
        { FailureCategory.SocketNetworkError, SocketConnect },
        { FailureCategory.SocketNetworkError, SocketAbort },
        { FailureCategory.ShmExhausted, Shm },
        { FailureCategory.ShmExhausted, "ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm)." },
        { FailureCategory.BootstrapInterface, BootstrapIfname + "\n" + Bootstrap },
        { FailureCategory.NcclTimeout, Watchdog + "\n" + WatchdogStatus },
        { FailureCategory.NcclTimeout, WatchdogOld },
        { FailureCategory.GpuXid, Xid119 },
        { FailureCategory.GpuXid, Xid79 },
        { FailureCategory.GpuXid, OffBus },
        { FailureCategory.EccUncorrectable, Xid48 },
        { FailureCategory.EccUncorrectable, Ecc },
        { FailureCategory.EccUncorrectable, EccWatchdog },
        { FailureCategory.CudaOom, CudaOomNew },
        { FailureCategory.CudaOom, CudaOomOld },
        { FailureCategory.HostOom, OomKiller + "\n" + TorchrunKilled },
        { FailureCategory.CpuSoftLockup, SoftLockup },
        { FailureCategory.HungTask, HungTask },
        { FailureCategory.NanOrInf, NanDetectron },
        { FailureCategory.NanOrInf, NanLossDict },
        { FailureCategory.NanOrInf, GradNormNan },
        { FailureCategory.Fp16Overflow, Overflow + "\n" + ScaleMinimum },
        { FailureCategory.CodeBug, Segfault },
        { FailureCategory.CodeBug, DeviceAssert },
        { FailureCategory.P2pHang, Iommu },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Real_format_line_inside_training_output_gives_its_category(string category, string excerpt)
    {
        DiagnosisReport report = Given.Diagnose(Given.Training(40) + "\n" + excerpt + "\n");

        Assert.Equal(category, report.Verdict.Category);
        Assert.True(report.Verdict.Confidence >= 0.4, $"confidence {report.Verdict.Confidence}");
        Assert.Contains(report.Evidence, e => e.Category == category && e.Line > 40);
        Assert.NotEmpty(report.Recommendations);
    }

    [Fact]
    public void Evidence_keeps_file_line_and_matched_text()
    {
        DiagnosisReport report = Given.Diagnose(("node3/train.log", Given.Training(10) + "\n" + IbNew));

        var ib = Assert.Single(report.Evidence, e => e.Signal == "nccl_ib_completion_error");
        Assert.Equal("node3/train.log", ib.File);
        Assert.Equal(11, ib.Line);
        Assert.Contains("status=12", ib.Text);
        Assert.Equal("12", ib.Facts["status"]);
        Assert.Equal("129", ib.Facts["vendor_err"]);
        Assert.Equal("mlx5_10", ib.Facts["hca"]);
        Assert.Equal("IBV_WC_RETRY_EXC_ERR", ib.Facts["status_name"]);
        Assert.Equal(FailureDomain.Infrastructure, report.Verdict.Domain);
        Assert.Equal(CausalRole.Initiating, report.Verdict.Role);
        Assert.Equal(10, report.Verdict.FailureStep);
    }

    [Fact]
    public void Cuda_oom_keeps_its_sizes_and_spots_fragmentation()
    {
        DiagnosisReport report = Given.Diagnose(CudaOomNew);

        var oom = report.Evidence[0];
        Assert.Equal("546.00 MiB", oom.Facts["tried_to_allocate"]);
        Assert.Equal("15.77 GiB", oom.Facts["total_capacity"]);
        Assert.Equal("514.19 MiB", oom.Facts["free"]);
        Assert.Equal("736.86 MiB", oom.Facts["reserved_unallocated"]);
        Assert.Contains("546.00 MiB", report.Verdict.RootCause);
        Assert.Contains(report.Recommendations, r => r.Env == "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True" && r.Priority == "HIGH");
    }

    [Fact]
    public void Watchdog_keeps_seqnum_optype_and_names_the_straggler_rank()
    {
        DiagnosisReport report = Given.Diagnose(("rank2.log", WatchdogNewRank2), ("rank3.log", WatchdogNewRank3), ("rank0.log", Watchdog));

        Assert.Equal(FailureCategory.NcclTimeout, report.Verdict.Category);
        Assert.Equal(CausalRole.Cascade, report.Verdict.Role);
        Assert.Equal([2], report.Verdict.StragglerRanks);
        var timeout = Assert.Single(report.Evidence, e => e.Signal == "nccl_watchdog_timeout");
        Assert.Equal("1580", timeout.Facts["seq_num"]);
        Assert.Equal("ALLREDUCE", timeout.Facts["op_type"]);
        Assert.Equal("0", timeout.Facts["rank"]);
        Assert.Contains(report.Recommendations, r => r.Action.Contains("rank 2"));
    }

    [Theory]
    [InlineData(Xid79, "79")]
    [InlineData(Xid48, "48")]
    public void Fatal_xids_recommend_drain_and_reset_first(string line, string xid)
    {
        DiagnosisReport report = Given.Diagnose(line);

        Assert.Equal(xid, report.Evidence[0].Facts["xid"]);
        Assert.False(string.IsNullOrEmpty(report.Evidence[0].Facts["meaning"]));
        Assert.Equal("CRITICAL", report.Recommendations[0].Priority);
        Assert.Contains("drain the node", report.Recommendations[0].Action);
        Assert.Equal("node", report.Recommendations[0].Kind);
    }

    [Fact]
    public void Xid_31_is_a_gpu_fault_attributed_to_the_workload()
    {
        DiagnosisReport report = Given.Diagnose(Xid31);

        Assert.Equal(FailureCategory.GpuXid, report.Verdict.Category);
        Assert.Equal(FailureDomain.Workload, report.Verdict.Domain);
        Assert.Equal("python", report.Evidence[0].Facts["name"]);
    }

    [Fact]
    public void Xid_154_alone_is_context_not_a_root_cause()
    {
        DiagnosisReport report = Given.Diagnose(Xid154);

        Assert.Equal(FailureCategory.Unknown, report.Verdict.Category);
        Assert.Equal(CausalRole.Context, report.Evidence[0].Role);
    }

    [Fact]
    public void Ib_error_recommends_the_link_check_and_ib_timeout_values()
    {
        DiagnosisReport report = Given.Diagnose(IbNew);

        Assert.Equal("CRITICAL", report.Recommendations[0].Priority);
        Assert.Contains("192.168.3.5", report.Recommendations[0].Action);
        Assert.Contains(report.Recommendations, r => r.Env == "NCCL_IB_TIMEOUT=22");
        Assert.All(report.Recommendations, r => Assert.False(string.IsNullOrEmpty(r.Effort)));
    }

    [Fact]
    public void Loss_spikes_before_nan_make_lr_too_high_the_root_and_nan_a_cascade()
    {
        string log = Given.Training(40) + "\n"
            + "step 41 | loss: 9.8000 | grad_norm: 45.00 | lr: 3.0e-03\n"
            + "step 42 | loss: 14.2000 | grad_norm: 310.00 | lr: 3.0e-03\n"
            + "step 43 | loss: nan | grad_norm: nan | lr: 3.0e-03\n";

        DiagnosisReport report = Given.Diagnose(log);

        Assert.Equal(FailureCategory.LrTooHigh, report.Verdict.Category);
        Assert.Contains(report.Evidence, e => e.Signal == "loss_spike" && e.Line == 41);
        Assert.Contains(report.Evidence, e => e.Signal == "grad_norm_explosion");
        Assert.All(report.Evidence.Where(e => e.Category == FailureCategory.NanOrInf), e => Assert.Equal(CausalRole.Cascade, e.Role));
        Assert.Equal(41, report.Verdict.FailureStep);
    }

    [Fact]
    public void A_few_fp16_overflows_at_the_start_are_benign_context()
    {
        string log = Overflow + "\n" + Overflow.Replace("64, reducing to 32", "32, reducing to 16") + "\n" + Given.Training(50);

        DiagnosisReport report = Given.Diagnose(log);

        Assert.Equal(FailureCategory.Unknown, report.Verdict.Category);
        var benign = Assert.Single(report.Evidence);
        Assert.Equal("fp16_overflow_benign", benign.Signal);
        Assert.Equal("2", benign.Facts["overflows"]);
    }

    [Fact]
    public void Loss_scale_collapsing_to_one_is_fp16_overflow()
    {
        var lines = new List<string>();
        for (int scale = 65536; scale > 1; scale /= 2)
        {
            lines.Add($"[deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: {scale}, reducing to {scale / 2}");
        }

        DiagnosisReport report = Given.Diagnose(string.Join('\n', lines));

        Assert.Equal(FailureCategory.Fp16Overflow, report.Verdict.Category);
        Assert.Contains(report.Evidence, e => e.Signal == "loss_scale_collapse" && e.Line == 16);
    }

    [Fact]
    public void Python_exception_points_at_the_users_frame()
    {
        string log = """
            Traceback (most recent call last):
              File "/work/train.py", line 88, in <module>
                main()
              File "/work/train.py", line 61, in main
                logits = model(batch["input_ids"])
              File "/usr/lib/python3.10/site-packages/torch/nn/modules/module.py", line 1518, in _wrapped_call_impl
                return self._call_impl(*args, **kwargs)
            IndexError: index out of range in self
            """;

        DiagnosisReport report = Given.Diagnose(log);

        Assert.Equal(FailureCategory.CodeBug, report.Verdict.Category);
        Assert.Equal("/work/train.py:61", report.Evidence[0].Facts["code_location"]);
        Assert.Contains(report.Recommendations, r => r.Location == "/work/train.py:61");
    }

    [Fact]
    public void A_hang_with_only_p2p_transports_points_at_acs()
    {
        DiagnosisReport report = Given.Diagnose(P2pChannel + "\n" + Given.Training(5) + "\n" + Watchdog);

        Assert.Equal(FailureCategory.P2pHang, report.Verdict.Category);
        Assert.Contains(report.Recommendations, r => r.Env == "NCCL_P2P_DISABLE=1");
    }
}
