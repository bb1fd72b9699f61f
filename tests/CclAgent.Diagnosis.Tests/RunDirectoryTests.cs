using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Diagnosis.Tests;

public sealed class RunDirectoryTests : IDisposable
{
    private readonly string _run = Directory.CreateTempSubdirectory("ccl-run-").FullName;

    public RunDirectoryTests()
    {
        Directory.CreateDirectory(Path.Combine(_run, "steps"));
        File.WriteAllText(Path.Combine(_run, "run_context.json"), "{\"run_id\": \"x\"}");
        WriteStep(0, "ok", null, null);
        WriteStep(3, "failed", "cuda_oom", "Cuda failure 'out of memory': NCCL buffers need 3.10 GiB, 2.00 GiB free");
        WriteStep(4, "sla_breach", "sla_breach", "median 9.00 ms exceeds the SLA of 8.00 ms");
    }

    public void Dispose() => Directory.Delete(_run, recursive: true);

    [Fact]
    public void Failed_steps_are_read_at_the_line_of_their_failure_message()
    {
        IReadOnlyList<LogSource> sources = RunDirectoryReader.ReadFailedSteps(_run);

        LogSource step = Assert.Single(sources);
        Assert.Equal(3, step.Step);
        Assert.Equal(6, step.FirstLine);
    }

    [Fact]
    public void A_failed_nccl_buffer_step_is_cuda_oom_at_that_step_with_the_buffsize_fix()
    {
        DiagnosisReport report = Diagnoser.Diagnose(RunDirectoryReader.ReadFailedSteps(Path.Combine(_run, "run_context.json")));

        Assert.Equal(FailureCategory.CudaOom, report.Verdict.Category);
        Assert.Equal(3, report.Verdict.FailureStep);
        Assert.EndsWith("step_3.json", report.Evidence[0].File);
        Assert.Equal(6, report.Evidence[0].Line);
        Assert.Contains(report.Recommendations, r => r.Env == "NCCL_BUFFSIZE=2097152");
    }

    [Theory]
    [InlineData("result_corruption", "results corrupted (NCCL_NTHREADS=96 is not a power of two); loss became NaN", FailureCategory.NanOrInf)]
    [InlineData("timeout", "collective did not complete: ProcessGroupNCCL watchdog timeout", FailureCategory.NcclTimeout)]
    [InlineData("transient_network", "NET/IB : Got completion from peer with error 12, opcode 0, len 0, vendor err 129", FailureCategory.IbNetworkError)]
    [InlineData("nccl_init_error", "NCCL WARN NCCL_ALGO=NVLS offers no algorithm for AllGather; ncclInvalidUsage", FailureCategory.CodeBug)]
    [InlineData("cuda_oom", "something the matchers do not know", FailureCategory.CudaOom)]
    public void Tune_step_failures_map_to_categories(string failureClass, string message, string category)
    {
        DiagnosisReport report = Diagnoser.DiagnoseStepFailure(7, failureClass, message);

        Assert.Equal(category, report.Verdict.Category);
        Assert.Equal(7, report.Verdict.FailureStep);
    }

    [Fact]
    public void A_directory_without_steps_is_an_input_error()
    {
        string empty = Directory.CreateTempSubdirectory("ccl-empty-").FullName;
        try
        {
            Assert.False(RunDirectoryReader.IsRunDirectory(empty));
            Assert.Throws<DiagnosisInputException>(() => RunDirectoryReader.ReadFailedSteps(empty));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private void WriteStep(int step, string status, string? failureClass, string? message)
    {
        string json = $$"""
            {
              "step": {{step}},
              "kind": "trial",
              "status": "{{status}}",
            {{(failureClass is null ? string.Empty : $"  \"failure_class\": \"{failureClass}\",\n  \"failure_message\": \"{message}\",\n")}}  "duration_ms": 1.0
            }
            """;
        File.WriteAllText(Path.Combine(_run, "steps", $"step_{step}.json"), json);
    }
}
