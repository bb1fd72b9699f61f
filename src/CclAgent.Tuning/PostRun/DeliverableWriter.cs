using System.Globalization;
using System.Text;
using CclAgent.Core.Context;
using CclAgent.Core.Steps;
using CclAgent.Tuning.Advice;
using CclAgent.Tuning.Truth;
using CclAgent.Core.Files;
using CclAgent.Core.Json;
using CclAgent.Core.Statistics;
using CclAgent.Core.Tools;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.PostRun;

/// <summary>
/// The post-run deliverables: the trial dataset, best_config.env, nccl_tuner.conf, summary.json and
/// report.md (and the oracle beside them in dry-run). Learning from the run is <see cref="Learning.RunLearner"/>'s job.
/// </summary>
internal sealed class DeliverableWriter(TuningContext context, ContextFeatures features, OfflinePlan plan, ToolInvoker tools)
{
    public async Task<TuningSummary> WriteAsync(RunResult result, ModelUsage? model)
    {
        (IReadOnlyList<StepRecord> steps, NcclConfig best, double baselineMs, double bestMs, string stopReason, RobustStats? confirm, bool cancelled) = result;
        int trials = result.Trials;
        double clusterSeconds = plan.MicrobenchmarkClusterSeconds + steps.Sum(s => s.ClusterSeconds);
        DryRunOracle? oracle = context.Truth is null || cancelled ? null : await tools.Invoke(new ToolCall("simulator", "postrun"), () => context.Truth.Oracle());
        double? bestTrue = context.Truth?.TrueIterationMs(best);

        string postrun = context.Run.Postrun;
        string header = $"ccl-agent tune — run {context.Run.RunId}\nworkload {context.Workload.Name} ({context.WorkloadFile}), mode {context.Options.Mode}\n" +
            $"baseline {baselineMs:0.00} ms → best {bestMs:0.00} ms per iteration (speedup {baselineMs / bestMs:0.000}×)";
        await AtomicFile.WriteAllTextAsync(Path.Combine(postrun, "best_config.env"), NcclEnvCompiler.RenderEnvFile(best, header + "\nsource it: set -a; . best_config.env; set +a"), CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(postrun, "nccl_tuner.conf"), TunerConfWriter.Render(TunerRows(best), header + "\nuse: NCCL_TUNER_CONFIG_FILE=nccl_tuner.conf with NCCL's example tuner plugin"), CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(context.Run.Online, "trials.csv"), TrialsCsv(steps), CancellationToken.None);

        var summary = new TuningSummary
        {
            RunId = context.Run.RunId,
            Workload = context.Workload.Name!,
            Mode = context.Options.Mode,
            ContextSignature = features.Signature,
            BaselineIterationMs = Math.Round(baselineMs, 3),
            BestIterationMs = Math.Round(bestMs, 3),
            Speedup = Math.Round(baselineMs / bestMs, 4),
            Trials = trials,
            BestConfig = best.ToAssignments(),
            StopReason = stopReason,
            ConfirmIterationMs = confirm is null ? null : Math.Round(confirm.Median, 3),
            Confirmed = confirm is not null && confirm.Median <= bestMs * 1.03,
            FailedTrials = steps.Count(s => s.Kind == StepKind.Trial && s.Status != StepStatus.Ok),
            BlockedCandidates = steps.Sum(s => s.CandidateTrace.Count(t => t.DroppedAt is "risk" or "validated")),
            WarmStartFromMemory = plan.WarmStart?.Source.StartsWith("memory", StringComparison.Ordinal) ?? false,
            WarmStartRun = plan.WarmStart?.Source == "memory-run" ? plan.WarmStart.Rationale : null,
            LlmUsed = model?.Used ?? false,
            LlmCalls = model?.Calls ?? 0,
            LlmProposals = model?.ValidatedProposals ?? 0,
            LlmProposalsApplied = steps.Count(s => s.Kind == StepKind.Trial && s.Decision?.FromModel == true),
            LlmProposalsAccepted = steps.Count(s => s.Kind == StepKind.Trial && s.Decision?.ModelProposalHelped == true),
            LlmProvider = model?.Provider,
            LlmUnavailable = model?.Unavailable,
            MicrobenchmarkRuns = plan.MicrobenchmarkRuns,
            MicrobenchmarkClusterSeconds = plan.MicrobenchmarkClusterSeconds,
            ClusterSeconds = Math.Round(clusterSeconds, 3),
            GpuHours = Math.Round(TuningCostModel.For(context.Workload).GpuHours(clusterSeconds), 4),
            OracleIterationMs = oracle is null ? null : Math.Round(oracle.BestIterationMs, 3),
            OracleConfig = oracle?.BestConfig.ToAssignments(),
            BestTrueIterationMs = bestTrue is null ? null : Math.Round(bestTrue.Value, 3),
            OracleFraction = oracle is null || bestTrue is null ? null : Math.Round(oracle.BestIterationMs / bestTrue.Value, 4),
            DefaultTrueIterationMs = oracle is null ? null : Math.Round(oracle.DefaultIterationMs, 3),
            Artifacts = [
                "run_context.json", "config_snapshot.json", "trace/events.jsonl", "offline/plan.json", "offline/microbenchmark.json", "steps/", "online/trials.csv",
                "postrun/best_config.env", "postrun/nccl_tuner.conf", "postrun/summary.json", "postrun/report.md", "postrun/surrogate_training_report.json", "logs/ccl-agent.clef",
                .. model is { Calls: > 0 } ? new[] { "llm/" } : [],
            ],
        };
        await ArtifactJson.WriteAsync(Path.Combine(postrun, "summary.json"), summary, TuningJsonContext.Default.TuningSummary, CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(postrun, "report.md"), ReportMarkdown.Render(summary, steps, plan), CancellationToken.None);
        return summary;
    }

    /// <summary>Per collective and size bin: the algorithm×protocol the microbenchmark found fastest with the tuned resources.</summary>
    private List<TunerConfRow> TunerRows(NcclConfig best)
    {
        var rows = new List<TunerConfRow>();
        // First entry per name, looked up once: a scan per profile is quadratic in a long per-layer list.
        var specs = new Dictionary<string, CollectiveSpec>(StringComparer.Ordinal);
        foreach (CollectiveSpec entry in context.Workload.Iteration!.Collectives!)
        {
            specs.TryAdd(entry.Name ?? entry.Op!, entry);
        }

        foreach (CollectiveProfile profile in plan.Collectives ?? [])
        {
            CollectiveSpec spec = specs[profile.Name];
            string key = profile.SubspaceTimeUs.Keys
                .Where(k => !k.Contains('-', StringComparison.Ordinal))
                .Select(k => (Key: k, Us: IterationSurrogate.CollectiveUs(profile, Microbenchmark.FromKey(k).With(ResourcesOf(best)))))
                .OrderBy(x => x.Us).Select(x => x.Key).FirstOrDefault() ?? Microbenchmark.SubspaceKey(best);
            NcclConfig subspace = Microbenchmark.FromKey(key);
            (long min, long max) = TunerConfWriter.BinOf(profile.Bytes);
            rows.Add(new TunerConfRow(OpNames.Parse(profile.Op), min, max, subspace.Algorithm ?? best.Algorithm, subspace.Protocol ?? best.Protocol,
                best.MaxChannels, spec.Nodes ?? 1, (spec.Nodes ?? 1) * (spec.RanksPerNode ?? 1)));
        }

        return rows;
    }

    private static Dictionary<string, string> ResourcesOf(NcclConfig config) =>
        config.ToAssignments().Where(kv => kv.Key is not (ParameterSpace.Algo or ParameterSpace.Proto)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static string TrialsCsv(IReadOnlyList<StepRecord> steps)
    {
        var csv = new StringBuilder("step,kind,source,status,failure_class,iteration_ms_median,iteration_ms_p90,true_iteration_ms,config\n");
        foreach (StepRecord s in steps)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{s.Step},{WireName.Of(s.Kind)},{s.Source},{WireName.Of(s.Status)},{s.FailureClass},{s.Metrics.IterationMsMedian},{s.Metrics.IterationMsP90},{s.Metrics.TrueIterationMs},\"{string.Join(';', s.Config.Select(kv => $"{kv.Key}={kv.Value}"))}\"\n");
        }

        return csv.ToString();
    }
}
