using System.Globalization;
using System.Text;
using CclAgent.Core.Json;
using CclAgent.Core.Steps;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.PostRun;

/// <summary>postrun/report.md: the run for a human — result, best configuration, every step with its decision.</summary>
internal static class ReportMarkdown
{
    public static string Render(TuningSummary summary, IReadOnlyList<StepRecord> steps, OfflinePlan plan)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# ccl-agent tune — {summary.Workload}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Run `{summary.RunId}`, mode `{summary.Mode}`, context `{summary.ContextSignature}`.\n\n");
        md.Append("| | iteration time |\n|---|---|\n");
        md.Append(CultureInfo.InvariantCulture, $"| NCCL defaults (baseline) | {summary.BaselineIterationMs:0.00} ms |\n");
        md.Append(CultureInfo.InvariantCulture, $"| best found | {summary.BestIterationMs:0.00} ms (**{summary.Speedup:0.000}×**) |\n");
        if (summary.ConfirmIterationMs is double confirm)
        {
            md.Append(CultureInfo.InvariantCulture, $"| best, re-run to confirm | {confirm:0.00} ms ({(summary.Confirmed ? "confirmed" : "NOT confirmed")}) |\n");
        }

        if (summary.OracleIterationMs is double oracle)
        {
            md.Append(CultureInfo.InvariantCulture, $"| simulator oracle (exhaustive, noise-free) | {oracle:0.00} ms; best/oracle = {summary.OracleFraction:0.000} |\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"\n{summary.Trials} trials, stop reason: **{summary.StopReason}**; {summary.FailedTrials} failed trial(s); {summary.BlockedCandidates} candidate(s) blocked by risk; {summary.MicrobenchmarkRuns} microbenchmark runs offline; {summary.ClusterSeconds:0} cluster seconds charged in all ({summary.MicrobenchmarkClusterSeconds:0} s microbenchmark), {summary.GpuHours:0.00} GPU-hours.\n\n");
        if (summary.LlmProvider is not null)
        {
            md.Append(summary.LlmUsed
                ? string.Create(CultureInfo.InvariantCulture, $"Language model ({summary.LlmProvider}): {summary.LlmCalls} call(s) (prompt packs in `llm/`), {summary.LlmProposals} proposal(s) passed validation, {summary.LlmProposalsApplied} applied, {summary.LlmProposalsAccepted} accepted as faster.\n\n")
                : $"Language model ({summary.LlmProvider}): not used ({summary.LlmUnavailable ?? "no reply"}); the run took the deterministic path.\n\n");
        }

        if (summary.DefaultsReason is { } defaults)
        {
            md.Append(CultureInfo.InvariantCulture, $"**NCCL's defaults are delivered**: {defaults}. No configuration tried was faster than the defaults beyond noise.\n\n");
        }

        md.Append("## Best configuration\n\n```sh\n");
        md.Append(summary.BestConfig.Count == 0 ? "# NCCL defaults\n" : string.Concat(summary.BestConfig.Select(kv => $"export {kv.Key}={kv.Value}\n")));
        md.Append("```\n\n`postrun/best_config.env` holds the same variables; `postrun/nccl_tuner.conf` gives per-collective choices for NCCL's example tuner plugin.\n\n");
        md.Append("## Offline plan\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Search space: {plan.SearchSpaceSize} configurations over {string.Join(", ", plan.Dimensions)}. Pruned (no measurable effect): {(plan.PrunedDimensions.Count == 0 ? "none" : string.Join(", ", plan.PrunedDimensions))}.\n\n");
        md.Append("Parameter importance (microbenchmark): ").Append(string.Join(", ", plan.Importance.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.000}")))).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Warm start: {plan.WarmStart?.Source ?? "none"} — {plan.WarmStart?.Rationale ?? "no candidate"}. Memory rules retrieved: {plan.MemoryRules.Count}; avoid-rules: {plan.AvoidRules.Count}.\n\n");
        md.Append("## Steps\n\n| step | source | change | status | median ms | decision |\n|---|---|---|---|---|---|\n");
        foreach (StepRecord s in steps)
        {
            string change = s.ConfigDelta.Count == 0 ? "—" : string.Join(" ", s.ConfigDelta.Select(kv => $"{kv.Key.Replace("NCCL_", string.Empty, StringComparison.Ordinal)}={kv.Value}"));
            string status = s.FailureClass is null ? WireName.Of(s.Status) : $"{WireName.Of(s.Status)} ({s.FailureClass})";
            md.Append(CultureInfo.InvariantCulture, $"| {(s.Kind == StepKind.Confirm ? "confirm" : s.Step.ToString(CultureInfo.InvariantCulture))} | {s.Source}{(s.Decision?.FromModel == true ? " (model)" : string.Empty)} | {change} | {status} | {s.Metrics.IterationMsMedian:0.00} | {(s.Decision is { } d ? WireName.Of(d.Decision) : null)}: {s.Decision?.Reason} |\n");
        }

        md.Append("\nEvery step's candidate trace and decision record are in `steps/step_<k>.json`; the full event trace is `trace/events.jsonl`.\n");
        return md.ToString();
    }
}
