using System.Diagnostics;
using System.Text.Json;
using CclAgent.Watch.Events;

namespace CclAgent.Watch.Tests.Parsing;

/// <summary>
/// A log with no recognised line is reported, not silently summarised as "INITIALIZING, exit 0": once on stderr and in the
/// summary, and under <c>--once</c> with exit code 5. The CLI tests run the real ccl-agent executable.
/// </summary>
public sealed class UnknownFormatTests : IDisposable
{
    // Lines no parser reads: an NCCL warning quoted in ParserTests (from the observability-facts corpus) and a constructed
    // Python traceback whose source lines are the examples of code the key-value fallback must not read.
    private static readonly string[] Noise =
    [
        "ubuntu:39964:40044 [0] misc/socket.cc:49 NCCL WARN socketProgress: Connection closed by remote peer node1<57557>",
        "Traceback (most recent call last):",
        "  File \"train.py\", line 120, in <module>",
        "    loss = criterion(out, y)",
        "        lr=args.lr,",
    ];

    // karpathy/nanoGPT#178 (https://github.com/karpathy/nanoGPT/issues/178)
    private static readonly string[] NanoGpt =
    [
        "iter 0: loss 4.2648, time 9371.81ms, mfu -100.00%", "iter 10: loss 3.2202, time 893.76ms, mfu 16.68%", "iter 20: loss 2.7697, time 894.88ms, mfu 16.67%",
        "iter 30: loss 2.6104, time 893.50ms, mfu 16.68%", "iter 40: loss 2.5339, time 893.90ms, mfu 16.68%", "iter 50: loss 2.5026, time 894.09ms, mfu 16.67%",
        "iter 60: loss 2.4706, time 895.86ms, mfu 16.67%", "iter 70: loss 2.4851, time 894.67ms, mfu 16.67%", "iter 80: loss 2.4363, time 904.07ms, mfu 16.65%",
        "iter 90: loss 2.4392, time 893.38ms, mfu 16.65%", "iter 100: loss 2.4049, time 929.71ms, mfu 16.59%", "iter 110: loss 2.3950, time 892.77ms, mfu 16.60%",
        "iter 120: loss 2.3203, time 913.16ms, mfu 16.57%", "iter 130: loss 2.2558, time 894.64ms, mfu 16.58%", "iter 140: loss 2.2287, time 893.37ms, mfu 16.59%",
        "iter 150: loss 2.1278, time 895.55ms, mfu 16.60%", "iter 160: loss 2.0495, time 922.19ms, mfu 16.55%", "iter 170: loss 1.9908, time 893.89ms, mfu 16.57%",
        "iter 180: loss 1.9392, time 894.75ms, mfu 16.58%", "iter 190: loss 1.8510, time 894.19ms, mfu 16.59%", "iter 200: loss 1.8447, time 895.36ms, mfu 16.59%",
        "iter 210: loss 1.7943, time 893.15ms, mfu 16.60%", "iter 220: loss 1.7208, time 892.75ms, mfu 16.61%", "iter 230: loss 1.7159, time 894.08ms, mfu 16.62%",
        "iter 240: loss 1.6524, time 895.31ms, mfu 16.62%", "step 250: train loss 1.5440, val loss 1.7220",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-watch-format-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Once_on_a_log_with_no_recognised_line_prints_one_stderr_line_says_unknown_in_the_summary_and_exits_5()
    {
        string log = Path.Combine(_dir, "job.out");
        await File.WriteAllLinesAsync(log, Enumerable.Repeat(Noise, 6).SelectMany(l => l));

        (int code, string stdout, string stderr) = await RunAsync("watch", "--log", log, "--once", "--json");

        code.Should().Be(5, stderr);
        stderr.Trim().Should().Be($"watch: format: unknown, 0 metric lines in 30 (file {log})");
        JsonElement summary = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        summary.GetProperty("type").GetString().Should().Be("summary");
        summary.GetProperty("format").GetString().Should().Be("unknown");
        summary.GetProperty("unknown_lines").GetInt32().Should().Be(30);
    }

    [Fact]
    public async Task Once_on_a_real_nanogpt_log_exits_0_and_names_the_format_in_the_summary()
    {
        string log = Path.Combine(_dir, "train.log");
        await File.WriteAllLinesAsync(log, Noise.Concat(NanoGpt));

        (int code, string stdout, string stderr) = await RunAsync("watch", "--log", log, "--once", "--json");

        code.Should().Be(0, stderr);
        stderr.Should().BeEmpty();
        JsonElement summary = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        summary.GetProperty("format").GetString().Should().Be("nanogpt");
        summary.GetProperty("records").GetInt32().Should().Be(NanoGpt.Length);
        summary.GetProperty("best").GetProperty("metric").GetString().Should().Be("val_loss");
    }

    [Fact]
    public async Task A_long_preamble_is_reported_once_after_the_first_2000_lines_even_if_metrics_follow()
    {
        string log = Path.Combine(_dir, "train.log");
        await File.WriteAllLinesAsync(log, Enumerable.Repeat(Noise, 500).SelectMany(l => l).Concat(NanoGpt));
        var session = new WatchSession(new WatchSettings(), TimeProvider.System, new Support.ListSink());
        var reports = new List<long>();
        session.UnrecognisedFormat += reports.Add;

        WatchOutcome outcome = await session.RunAsync(log, new WatchRunOptions { Once = true }, CancellationToken.None);

        reports.Should().Equal(WatchSession.FormatCheckLines);
        outcome.Summary.Format.Should().Be("nanogpt", "metric lines after the sample still count");
    }

    [Fact]
    public async Task A_log_whose_first_lines_are_recognised_is_never_reported()
    {
        string log = Path.Combine(_dir, "train.log");
        await File.WriteAllLinesAsync(log, NanoGpt.Concat(Enumerable.Repeat(Noise, 500).SelectMany(l => l)));
        var session = new WatchSession(new WatchSettings(), TimeProvider.System, new Support.ListSink());
        var reports = new List<long>();
        session.UnrecognisedFormat += reports.Add;

        SummaryEvent summary = (await session.RunAsync(log, new WatchRunOptions { Once = true }, CancellationToken.None)).Summary;

        reports.Should().BeEmpty();
        summary.Records.Should().Be(NanoGpt.Length);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, stdout, await stderr);
    }
}
