using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>Two ranks on one GPU: a code bug in the process-to-device mapping, fixed by the mapping, never by an NCCL setting.</summary>
public sealed class DuplicateGpuTests
{
    // https://github.com/horovod/horovod/issues/3949 ("local_rank() always returns 0 on one node"), NCCL's own WARN
    // and the ncclInvalidUsage (5) it returns; trailing blanks of the paste trimmed.
    private const string HorovodLog = """
        [1,1]<stdout>:chifflot-7:67918:67950 [0] init.cc:748 NCCL WARN Duplicate GPU detected : rank 1 and rank 0 both on CUDA device 3b000
        [1,1]<stdout>:chifflot-7:67918:67950 [0] NCCL INFO init.cc:1309 -> 5
        [1,1]<stdout>:chifflot-7:67918:67950 [0] NCCL INFO init.cc:1549 -> 5
        """;

    // https://github.com/Peterande/D-FINE/issues/289: PyTorch's form, the reason after "Last error:"; the reporter fixed
    // it by no longer setting a default GPU in train.py.
    private const string PyTorchLog = """
        torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1691, invalid usage (run with NCCL_DEBUG=WARN for details), NCCL version 2.19.3
        ncclInvalidUsage: This usually reflects invalid usage of NCCL library.
        Last error:
        Duplicate GPU detected : rank 0 and rank 1 both on CUDA device 2000
        """;

    [Theory]
    [InlineData(HorovodLog, "3b000")]
    [InlineData(PyTorchLog, "2000")]
    public void Duplicate_gpu_is_a_code_bug_rooted_in_the_duplicate_line(string log, string device)
    {
        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.CodeBug);
        report.Evidence.Single(e => e.Id == report.Verdict.EvidenceIds[0]).Signal.Should().Be("nccl_duplicate_gpu");
        report.Verdict.RootCause.Should().Contain(device).And.Contain("same GPU");
    }

    [Theory]
    [InlineData(HorovodLog)]
    [InlineData(PyTorchLog)]
    public void Duplicate_gpu_fix_names_the_device_mapping_and_never_an_nccl_setting(string log)
    {
        DiagnosisReport report = Given.Diagnose(log);

        string all = string.Join("\n", report.Recommendations.Select(r => $"{r.Action} {r.Env} {r.Detail}"));
        all.Should().Contain("LOCAL_RANK").And.Contain("torch.cuda.set_device").And.Contain("--nproc_per_node").And.Contain("--gpus-per-task");
        report.Recommendations.Should().Contain(r => r.Env != null && r.Env.StartsWith("CUDA_VISIBLE_DEVICES=", StringComparison.Ordinal));
        all.Should().NotContain("undo the NCCL setting");
        report.Recommendations.Should().NotContain(r => r.Env != null && r.Env.StartsWith("NCCL_", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_gpu_keeps_both_ranks_and_the_device_as_facts()
    {
        DiagnosisReport report = Given.Diagnose(HorovodLog);

        var duplicate = report.Evidence.Single(e => e.Signal == "nccl_duplicate_gpu");
        duplicate.Facts["rank"].Should().Be("1");
        duplicate.Facts["other_rank"].Should().Be("0");
        duplicate.Facts["device"].Should().Be("3b000");
    }
}
