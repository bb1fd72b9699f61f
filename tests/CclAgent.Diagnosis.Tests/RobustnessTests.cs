using System.Diagnostics;
using System.Text;
using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Diagnosis.Tests;

/// <summary>Garbage, binary, empty and very long input: no crash, bounded memory, a clear "nothing found".</summary>
public sealed class RobustnessTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-diag-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Ordinary_training_output_gives_unknown_with_a_clear_note()
    {
        DiagnosisReport report = Given.Diagnose(Given.Training(500));

        Assert.Equal(FailureCategory.Unknown, report.Verdict.Category);
        Assert.Equal(0, report.Verdict.Confidence);
        Assert.False(report.FoundEvidence);
        Assert.Contains(report.Notes, n => n.Contains("no failure evidence found in 500 lines"));
        Assert.Equal(500, report.Verdict.FailureStep);
    }

    [Fact]
    public void Empty_input_gives_unknown()
    {
        DiagnosisReport report = Given.Diagnose(string.Empty);

        Assert.Equal(FailureCategory.Unknown, report.Verdict.Category);
        Assert.Contains(report.Notes, n => n.Contains("no failure evidence"));
    }

    [Fact]
    public void Binary_file_is_skipped_and_said_so()
    {
        string path = Path.Combine(_temp, "core.bin");
        var random = new Random(7);
        byte[] bytes = new byte[2_000_000];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        DiagnosisReport report = Diagnoser.Diagnose([LogSource.FromFile(path)]);

        Assert.Equal(FailureCategory.Unknown, report.Verdict.Category);
        Assert.True(report.Sources[0].BinaryLinesSkipped > 0);
        Assert.Contains(report.Notes, n => n.Contains("binary"));
    }

    [Fact]
    public void Evidence_between_binary_garbage_is_still_found()
    {
        string path = Path.Combine(_temp, "mixed.log");
        using (var file = File.Create(path))
        {
            file.Write([0, 1, 2, 3, 0xff, 0xfe, 0, 10]);
            file.Write(Encoding.UTF8.GetBytes("\u001b[31m" + LogExcerpts.IbNew + "\u001b[0m\n"));
            file.Write([0, 0, 0, 0x80, 0x81, 10]);
        }

        DiagnosisReport report = Diagnoser.Diagnose([LogSource.FromFile(path)]);

        Assert.Equal(FailureCategory.IbNetworkError, report.Verdict.Category);
        Assert.Equal(2, report.Evidence[0].Line);
        Assert.DoesNotContain("\u001b", report.Evidence[0].Text);
    }

    [Fact]
    public void A_single_huge_line_is_cut_not_loaded()
    {
        string path = Path.Combine(_temp, "oneline.log");
        using (var writer = new StreamWriter(path))
        {
            for (int i = 0; i < 20_000; i++)
            {
                writer.Write("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            }

            writer.Write('\n');
            writer.WriteLine(LogExcerpts.Xid79);
        }

        DiagnosisReport report = Diagnoser.Diagnose([LogSource.FromFile(path)], new DiagnosisOptions { MaxLineBytes = 1024 });

        Assert.Equal(FailureCategory.GpuXid, report.Verdict.Category);
        Assert.Equal(1, report.Sources[0].LongLinesTruncated);
        Assert.Equal(2, report.Evidence[0].Line);
    }

    [Fact]
    public void Repeated_errors_are_counted_but_only_a_bounded_number_kept()
    {
        string log = string.Join('\n', Enumerable.Repeat(LogExcerpts.SocketClosed, 10_000));

        DiagnosisReport report = Given.Diagnose(log);

        Assert.True(report.Evidence.Count <= 20);
        Assert.All(report.Evidence, e => Assert.Equal(10_000, e.Occurrences));
    }

    [Fact]
    public void Secrets_in_log_lines_never_reach_the_report()
    {
        DiagnosisReport report = Given.Diagnose("WANDB_API_KEY=abcd1234secretvalue HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz123456 " + LogExcerpts.Bootstrap);

        string text = DiagnosisTextWriter.Render(report);
        Assert.DoesNotContain("abcd1234secretvalue", text);
        Assert.DoesNotContain("hf_abcdefghijklmnopqrstuvwxyz123456", text);
        Assert.Contains("WANDB_API_KEY=***", report.Evidence[0].Text);
    }

    /// <summary>Large: a 200 MB generated log with the fault near the end; the 1 GB run is bench/diagnose-large-log.sh.</summary>
    [Fact]
    [Trait("Category", "Large")]
    [Trait("Category", "Integration")]
    public void Large_200_MB_log_is_streamed_with_bounded_memory()
    {
        string path = Path.Combine(_temp, "large.log");
        long lines = LargeLog.Write(path, 200L * 1024 * 1024, LogExcerpts.IbNew);
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        long allocatedBefore = GC.GetTotalAllocatedBytes();

        DiagnosisReport report = Diagnoser.Diagnose([LogSource.FromFile(path)]);

        clock.Stop();
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.Equal(FailureCategory.IbNetworkError, report.Verdict.Category);
        Assert.Equal(lines, report.Sources[0].Lines);
        Assert.True(retained < 16 * 1024 * 1024, $"retained {retained} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes() - allocatedBefore > 0);
    }
}
