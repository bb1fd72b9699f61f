using System.Text.Json;
using CclAgent.Core.Context;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.CrossRun;
using CclAgent.Tuning.Offline;
using CclAgent.Testing;

namespace CclAgent.Tuning.Tests;

public sealed class CrossRunModelTests : IDisposable
{
    private const string L40s = "l40s-1x8-pcie-ddp";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Integration")]
    public async Task After_enough_runs_post_run_trains_a_fast_tree_model_and_the_next_run_uses_it_as_a_prior()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        var time = TuningHarness.NewTime();
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), time);

        HarnessRun last = null!;
        for (int run = 1; run <= 3; run++)
        {
            last = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, time, $"run-{run}", budget: 12, seed: run);
            time.Advance(TimeSpan.FromMinutes(5));
        }

        using JsonDocument report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(last.Run.Postrun, "surrogate_training_report.json")));
        Assert.True(report.RootElement.GetProperty("samples").GetInt32() >= 20);
        Assert.True(report.RootElement.GetProperty("holdout_samples").GetInt32() > 0);
        Assert.True(File.Exists(Path.ChangeExtension(memory.FilePath, ".crossrun.zip")));

        HarnessRun next = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, time, "run-4", budget: 4, seed: 4);
        string trace = await File.ReadAllTextAsync(next.Run.TraceFile);
        Assert.Contains("\"type\":\"surrogate.prior\"", trace, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task The_model_learns_that_the_remembered_best_is_faster_than_the_default()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        var time = TuningHarness.NewTime();
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), time);
        HarnessRun run = null!;
        for (int i = 1; i <= 3; i++)
        {
            run = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, time, $"learn-{i}", budget: 12, seed: i);
        }

        ContextFeatures context = ContextSignatureBuilder.From(spec);
        (CrossRunModel? model, _) = CrossRunModel.Train(CrossRunModel.Examples(memory, context), seed: 1, savePath: null);
        Assert.NotNull(model);
        NcclConfig best = NcclConfig.FromAssignments(run.Outcome.Summary!.BestConfig);
        Assert.True(model.PredictRelativeLog(context, best) < model.PredictRelativeLog(context, NcclConfig.Default));
    }

    [Fact]
    public void Too_few_trials_skip_training_with_a_reason()
    {
        (CrossRunModel? model, SurrogateTrainingReport report) = CrossRunModel.Train([], seed: 1, savePath: null);

        Assert.Null(model);
        Assert.Contains("at least 20", report.SkippedReason, StringComparison.Ordinal);
    }
}
