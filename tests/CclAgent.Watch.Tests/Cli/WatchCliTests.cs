using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CclAgent.Watch.Tests.Cli;

/// <summary>The real ccl-agent executable: --once, exit codes, and following a file another task appends to and rotates.</summary>
public sealed class WatchCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-watch-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Once_reads_to_the_end_and_prints_events_then_a_summary_as_json()
    {
        string log = Path.Combine(_dir, "train.log");
        await File.WriteAllLinesAsync(log, MmengineLines(1, 80).Append(TrainLine(81, double.NaN)));

        (int code, string stdout, string stderr) = await RunAsync("watch", "--log", log, "--once", "--json");

        Assert.True(code == 0, stderr);
        JsonElement[] events = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        JsonElement nan = events.Single(e => e.GetProperty("type").GetString() == "alert");
        Assert.Equal(("nan_loss", 81), (nan.GetProperty("kind").GetString(), nan.GetProperty("line").GetInt32()));
        JsonElement summary = events[^1];
        Assert.Equal("summary", summary.GetProperty("type").GetString());
        Assert.Equal("mmengine", summary.GetProperty("format").GetString());
        Assert.Equal("DIVERGING", summary.GetProperty("final_phase").GetString());
        Assert.Equal(1, summary.GetProperty("alerts").GetProperty("nan_loss").GetInt32());
    }

    [Fact]
    public async Task Missing_file_with_once_exits_2_with_one_line_and_no_log_or_auto_exits_1()
    {
        (int code, _, string stderr) = await RunAsync("watch", "--log", Path.Combine(_dir, "nope.log"), "--once");
        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);

        (int usage, _, _) = await RunAsync("watch", "--once");
        Assert.Equal(1, usage);

        (int notify, _, string notifyError) = await RunAsync("watch", "--log", Path.Combine(_dir, "x.log"), "--once", "--notify", "pager:me");
        Assert.Equal(2, notify);
        Assert.Contains("unknown target", notifyError);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Following_a_growing_file_reports_events_in_order_across_a_rotation()
    {
        string log = Path.Combine(_dir, "train.log");
        using Process watch = Start("watch", "--log", log, "--json");
        var events = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        // The file appears after watch reported it is waiting; another task writes it in chunks, then rotates it.
        Task writer = Task.Run(async () =>
        {
            await WaitForAsync(events, e => Kind(e) == "waiting", timeout.Token);
            await AppendSlowlyAsync(log, MmengineLines(1, 40).Append(TrainLine(41, double.NaN)), timeout.Token);
            await WaitForAsync(events, e => Kind(e) == "nan_loss", timeout.Token);
            File.Move(log, log + ".1");
            await AppendSlowlyAsync(log, MmengineLines(42, 60).Append(TrainLine(61, double.PositiveInfinity)), timeout.Token);
        }, timeout.Token);

        Task reader = Task.Run(async () =>
        {
            while (await watch.StandardOutput.ReadLineAsync(timeout.Token) is string line)
            {
                lock (events)
                {
                    events.Add(JsonDocument.Parse(line).RootElement);
                }

                if (Kind(events[^1]) == "nan_loss" && events.Count(e => Kind(e) == "nan_loss") == 2)
                {
                    break;
                }
            }
        }, timeout.Token);

        await Task.WhenAll(writer, reader);
        using (Process.Start("kill", ["-TERM", watch.Id.ToString(CultureInfo.InvariantCulture)]))
        {
        }

        string rest = await watch.StandardOutput.ReadToEndAsync(timeout.Token);
        await watch.WaitForExitAsync(timeout.Token);

        string[] sequence = [.. events.Select(e => Kind(e) ?? "")];
        Assert.Equal(["waiting", "opened"], sequence[..2]);
        int firstNan = Array.IndexOf(sequence, "nan_loss");
        int rotated = Array.IndexOf(sequence, "rotated");
        int secondNan = Array.LastIndexOf(sequence, "nan_loss");
        Assert.True(firstNan > 1 && rotated > firstNan && secondNan > rotated, string.Join(",", sequence));
        Assert.Equal(41, events[firstNan].GetProperty("line").GetInt32());
        Assert.Equal(20, events[secondNan].GetProperty("line").GetInt32());
        Assert.Equal(143, watch.ExitCode); // SIGTERM: cancelled like Ctrl+C, with the SIGTERM code (README, exit codes)
        Assert.Contains("\"type\":\"summary\"", rest);
    }

    private static string? Kind(JsonElement e) =>
        e.GetProperty("type").GetString() switch
        {
            "alert" => e.GetProperty("kind").GetString(),
            "log" => e.GetProperty("event").GetString(),
            string type => type,
            _ => null,
        };

    private static async Task WaitForAsync(List<JsonElement> events, Func<JsonElement, bool> predicate, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (events)
            {
                if (events.Any(predicate))
                {
                    return;
                }
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task AppendSlowlyAsync(string path, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        foreach (string[] chunk in lines.Chunk(10))
        {
            await File.AppendAllLinesAsync(path, chunk, cancellationToken);
            await Task.Delay(20, cancellationToken);
        }
    }

    private static IEnumerable<string> MmengineLines(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => TrainLine(i, 3.0 * Math.Exp(-i / 30.0)));

    private static string TrainLine(int i, double loss) => FormattableString.Invariant(
        $"04/21 21:03:53 - mmengine - INFO - Epoch(train) [1][{i * 10}/10000]  lr: 1.000e-02  eta: 0:10:00  time: 0.250  data_time: 0.010  memory: 9182  loss: {loss:0.0000}").Replace("∞", "inf", StringComparison.Ordinal).Replace("NaN", "nan", StringComparison.Ordinal);

    private static Process Start(params string[] args) => StartCapturing(args).Process;

    private static (Process Process, Task<string> Stderr) StartCapturing(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        return (process, process.StandardError.ReadToEndAsync());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        (Process process, Task<string> stderr) = StartCapturing(args);
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, stdout, await stderr);
        }
    }
}
