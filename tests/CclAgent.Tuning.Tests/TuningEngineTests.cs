using System.Text.Json;
using CclAgent.Core.Steps;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Tuner;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Risk;
using Microsoft.Extensions.Time.Testing;
using CclAgent.Testing;

namespace CclAgent.Tuning.Tests;

public sealed class TuningEngineTests : IDisposable
{
    private const string L40s = "l40s-1x8-pcie-ddp";
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = TuningHarness.NewTime();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_dry_run_completes_and_writes_every_deliverable()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-e2e", budget: 8);

        TuningOutcome outcome = result.Outcome;
        Assert.NotNull(outcome.Summary);
        Assert.False(outcome.Cancelled);
        Assert.Null(outcome.JobFailure);
        Assert.True(outcome.Succeeded);
        Assert.True(outcome.Summary.Speedup >= 1.0, $"speedup {outcome.Summary.Speedup}");
        Assert.InRange(outcome.Summary.Trials, 1, 8);

        string steps = result.Run.Steps;
        for (int k = 0; k <= outcome.Summary.Trials; k++)
        {
            Assert.True(File.Exists(Path.Combine(steps, $"step_{k}.json")), $"step_{k}.json missing");
        }

        Assert.True(File.Exists(Path.Combine(steps, "step_confirm.json")));
        string postrun = result.Run.Postrun;
        foreach (string name in new[] { "summary.json", "best_config.env", "nccl_tuner.conf", "report.md" })
        {
            Assert.True(File.Exists(Path.Combine(postrun, name)), $"postrun/{name} missing");
        }

        Assert.True(File.Exists(Path.Combine(result.Run.Offline, "plan.json")));
        Assert.True(File.Exists(Path.Combine(result.Run.Offline, "microbenchmark.json")));
        Assert.True(File.Exists(Path.Combine(result.Run.Online, "trials.csv")));

        string[] tunerLines = await File.ReadAllLinesAsync(Path.Combine(postrun, "nccl_tuner.conf"));
        Assert.Contains(tunerLines, line => line.TrimStart('#', ' ') == TunerConfWriter.Header);
        Assert.Contains(tunerLines, line => line.Contains("collective_type,min_bytes,max_bytes,algorithm,protocol,channels,nNodes,nRanks,numPipeOps,regBuff", StringComparison.Ordinal));

        string report = await File.ReadAllTextAsync(Path.Combine(postrun, "report.md"));
        Assert.Contains(L40s, report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_selected_candidate_was_not_blocked_by_risk()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-risk", budget: 8);

        IReadOnlyList<StepRecord> records = await ReadStepsAsync(result);
        var selected = records.SelectMany(r => r.CandidateTrace).Where(t => t.Selected).ToList();
        Assert.NotEmpty(selected);
        Assert.All(selected, t =>
        {
            Assert.NotNull(t.Risk);
            Assert.True(t.Risk < RiskAssessment.Threshold, $"{t.Id} selected with risk {t.Risk}");
            Assert.Null(t.DroppedAt);
        });
        Assert.All(records.SelectMany(r => r.CandidateTrace).Where(t => t.DroppedAt is "risk" or "validated"), t => Assert.False(t.Selected));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task The_trace_is_json_lines_with_phase_and_tool_events()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-trace", budget: 6);

        string[] lines = (await File.ReadAllLinesAsync(result.Run.TraceFile)).Where(l => l.Length > 0).ToArray();
        Assert.NotEmpty(lines);
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            Assert.Equal("run-trace", doc.RootElement.GetProperty("run_id").GetString());
            types.Add(doc.RootElement.GetProperty("type").GetString()!);
        }

        Assert.Contains("phase.offline.start", types);
        Assert.Contains("phase.offline.end", types);
        Assert.Contains("phase.online.start", types);
        Assert.Contains("phase.online.end", types);
        Assert.Contains("phase.postrun.start", types);
        Assert.Contains("tool.call", types);
        Assert.Contains("tool.result", types);
        Assert.Contains("decision", types);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task The_dry_run_summary_reports_the_oracle_fraction()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-oracle", budget: 6);

        using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.Run.Postrun, "summary.json")));
        JsonElement fraction = summary.RootElement.GetProperty("oracle_fraction");
        Assert.Equal(JsonValueKind.Number, fraction.ValueKind);
        Assert.InRange(fraction.GetDouble(), 0.0, 1.05);
        Assert.Equal("dry-run", summary.RootElement.GetProperty("mode").GetString());
        Assert.Equal(result.Outcome.Summary!.OracleFraction, fraction.GetDouble());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_second_run_warm_starts_from_the_first_runs_best_configuration()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun first = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-first", budget: 8);
        _time.Advance(TimeSpan.FromMinutes(10));
        HarnessRun second = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-second", budget: 6, seed: 2);

        TuningSummary firstSummary = first.Outcome.Summary!;
        Assert.True(firstSummary.Speedup > 1.0, "the first run must improve on the defaults for a warm start to exist");

        OfflinePlan plan = (await ReadJsonAsync(Path.Combine(second.Run.Offline, "plan.json"), TuningJsonContext.Default.OfflinePlan))!;
        Assert.NotNull(plan.WarmStart);
        Assert.Equal("memory-run", plan.WarmStart.Source);
        Assert.Equal(firstSummary.BestConfig, plan.WarmStart.Config);

        // The remembered configuration is the very first run of the job (step 0), before the baseline.
        StepRecord step1 = (await ReadJsonAsync(Path.Combine(second.Run.Steps, "step_0.json"), TuningJsonContext.Default.StepRecord))!;
        Assert.Equal(StepKind.Trial, step1.Kind);
        Assert.Equal("warm-start:memory-run", step1.Source);
        Assert.Equal(StepStatus.Ok, step1.Status);
        double median = step1.Metrics.IterationMsMedian!.Value;
        Assert.InRange(median, firstSummary.BestIterationMs * 0.98, firstSummary.BestIterationMs * 1.02);
        Assert.True(second.Outcome.Summary!.WarmStartFromMemory);
    }

    [Fact]
    public async Task A_cancelled_run_still_writes_a_summary_with_stop_reason_cancelled()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);
        using var cts = new CancellationTokenSource();

        HarnessRun result = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-cancel", budget: 10,
            wrapRunner: inner => new CancellingRunner(inner, cts, cancelAtStep: 3), cancellationToken: cts.Token);

        Assert.True(result.Outcome.Cancelled);
        Assert.NotNull(result.Outcome.Summary);
        Assert.Equal("cancelled", result.Outcome.Summary.StopReason);
        Assert.False(result.Outcome.Succeeded);

        string summaryFile = Path.Combine(result.Run.Postrun, "summary.json");
        Assert.True(File.Exists(summaryFile));
        using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryFile));
        Assert.Equal("cancelled", summary.RootElement.GetProperty("stop_reason").GetString());

        // Steps before the cancellation are kept; the cancelled one and the confirm re-run are not written.
        Assert.True(File.Exists(Path.Combine(result.Run.Steps, "step_2.json")));
        Assert.False(File.Exists(Path.Combine(result.Run.Steps, "step_3.json")));
        Assert.False(File.Exists(Path.Combine(result.Run.Steps, "step_confirm.json")));
        Assert.True(File.Exists(Path.Combine(result.Run.Postrun, "best_config.env")));
        Assert.True(File.Exists(Path.Combine(result.Run.Postrun, "report.md")));
    }

    internal static async Task<IReadOnlyList<StepRecord>> ReadStepsAsync(HarnessRun result)
    {
        var records = new List<StepRecord>();
        foreach (string file in Directory.GetFiles(result.Run.Steps, "step_*.json"))
        {
            records.Add((await ReadJsonAsync(file, TuningJsonContext.Default.StepRecord))!);
        }

        return records;
    }

    internal static async Task<T?> ReadJsonAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        await using FileStream stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, info);
    }
}
