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
using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Tuner;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.PostRun;

/// <summary>
/// The post-run deliverables: the trial dataset, best_config.env, nccl_tuner.conf, summary.json and
/// report.md (and the oracle beside them in dry-run). Learning from the run is <see cref="Learning.RunLearner"/>'s job.
/// </summary>
internal sealed class DeliverableWriter(TuningContext context, ContextFeatures features, OfflinePlan plan, ToolInvoker tools)
{
    public string EnvFile => Path.Combine(context.Run.Postrun, "best_config.env");

    public string TunerConfFile => Path.Combine(context.Run.Postrun, "nccl_tuner.conf");

    /// <summary>
    /// The two files that are the deliverable: best_config.env (init-time environment variables) and nccl_tuner.conf
    /// (per-collective choices). Written before the confirm step, which runs the job from exactly these files.
    /// </summary>
    public async Task WriteConfigurationAsync(NcclConfig best, double baselineMs, double bestMs)
    {
        string header = Header(baselineMs, bestMs);
        await AtomicFile.WriteAllTextAsync(EnvFile, NcclEnvCompiler.RenderEnvFile(best, header + "\nsource it: set -a; . best_config.env; set +a"), CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(TunerConfFile, TunerConfText(best, header), CancellationToken.None);
    }

    /// <summary>The configuration the deliverable files hold, read back the way a job would read them.</summary>
    public NcclConfig ReadConfiguration()
    {
        NcclConfig environment = NcclEnvCompiler.ParseEnvFile(File.ReadAllText(EnvFile));
        TunerTable table = TunerConfParser.Parse(File.ReadAllText(TunerConfFile)).Table;
        var platform = NcclPlatform.FromCluster(context.Workload.Cluster!);
        return table.ApplyTo(environment, TunerRows.KeysOf(context.Workload), (key, algorithm, protocol) =>
            TunerChoiceValidator.Problem(key, new TunerChoice(algorithm, protocol, 1), platform) is null);
    }

    private string Header(double baselineMs, double bestMs) =>
        $"ccl-agent tune — run {context.Run.RunId}\nworkload {context.Workload.Name} ({context.WorkloadFile}), mode {context.Options.Mode}\n" +
        $"baseline {baselineMs:0.00} ms → best {bestMs:0.00} ms per iteration (speedup {baselineMs / bestMs:0.000}×)";

    public async Task<TuningSummary> WriteAsync(RunResult result, ModelUsage? model)
    {
        (IReadOnlyList<StepRecord> steps, NcclConfig best, double baselineMs, double bestMs, string stopReason, RobustStats? confirm, bool cancelled) = result;
        int trials = result.Trials;
        double clusterSeconds = plan.MicrobenchmarkClusterSeconds + steps.Sum(s => s.ClusterSeconds);
        DryRunOracle? oracle = context.Truth is null || cancelled ? null : await tools.Invoke(new ToolCall("simulator", "postrun"), () => context.Truth.Oracle());
        double? bestTrue = context.Truth?.TrueIterationMs(best);

        string postrun = context.Run.Postrun;
        await WriteConfigurationAsync(best, baselineMs, bestMs);
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
            DefaultsDelivered = result.DefaultsReason is not null,
            DefaultsReason = result.DefaultsReason,
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
            GlobalOracleIterationMs = oracle?.GlobalBestIterationMs is double global ? Math.Round(global, 3) : null,
            BestTrueIterationMs = bestTrue is null ? null : Math.Round(bestTrue.Value, 3),
            OracleFraction = oracle is null || bestTrue is null ? null : Math.Round(oracle.BestIterationMs / bestTrue.Value, 4),
            DefaultTrueIterationMs = oracle is null ? null : Math.Round(oracle.DefaultIterationMs, 3),
            JobLaunches = result.InJob?.JobLaunches,
            InJobWindows = result.InJob?.Windows,
            PluginDecisionsVerified = result.InJob?.DecisionsVerified,
            Artifacts = [
                "run_context.json", "config_snapshot.json", "trace/events.jsonl", "offline/plan.json", "offline/microbenchmark.json", "steps/", "online/trials.csv",
                "postrun/best_config.env", "postrun/nccl_tuner.conf", "postrun/summary.json", "postrun/report.md", "postrun/report.html", "postrun/surrogate_training_report.json", "logs/ccl-agent.clef",
                .. model is { Calls: > 0 } ? new[] { "llm/" } : [],
            ],
        };
        await ArtifactJson.WriteAsync(Path.Combine(postrun, "summary.json"), summary, TuningJsonContext.Default.TuningSummary, CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(postrun, "report.md"), ReportMarkdown.Render(summary, steps, plan), CancellationToken.None);
        // Read back from the files just written, so tune's report and `ccl-agent report` are one rendering of one source.
        await AtomicFile.WriteAllTextAsync(Path.Combine(postrun, "report.html"), Reporting.RunReport.HtmlForRunDirectory(context.Run.Root), CancellationToken.None);
        return summary;
    }

    /// <summary>The best trial's per-collective choices, exactly as the trial ran them (empty of rows when it made none).</summary>
    private string TunerConfText(NcclConfig best, string header)
    {
        string use = best.HasChoices
            ? "use: NCCL_TUNER_PLUGIN=<tuner plugin> NCCL_TUNER_CONFIG_FILE=nccl_tuner.conf, with best_config.env"
            : "the best trial set no per-collective choices: best_config.env is the whole configuration";
        return TunerConfWriter.Render(TunerRows.For(best, TunerRows.KeysOf(context.Workload)), header + "\n" + use);
    }

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
