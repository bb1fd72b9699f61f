using CclAgent.Reporting.Rendering;
using CclAgent.Reporting.Runs;

namespace CclAgent.Reporting.Sections;

/// <summary>The blocks for one run: summary, plot, decision matrix, importance, memory, steps, failures, model calls, artifacts.</summary>
internal static class RunSections
{
    public static IEnumerable<ReportBlock> For(LoadedRun run, string reportDirectory, bool plot)
    {
        RunSummary s = run.Summary;
        yield return new HeadingBlock(2, $"{s.Workload} — {s.RunId}", s.RunId);
        yield return Summary(s);
        if (s.DefaultsReason is { } defaults)
        {
            yield return new ParagraphBlock($"NCCL's defaults are delivered: {defaults}.");
        }

        yield return new TableBlock(["variable", "value"],
            s.BestConfig.Count == 0 ? [["(NCCL defaults)", ""]] : [.. s.BestConfig.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (IReadOnlyList<Cell>)[kv.Key, kv.Value])],
            "Best configuration (postrun/best_config.env)");
        if (plot && run.Steps.Count > 0)
        {
            yield return new HeadingBlock(3, "Convergence");
            yield return new PlotBlock(ConvergenceSvg.Render([(s.RunId, run)]),
                $"Iteration time per step for {s.Workload}: measured median, incumbent{(s.OracleIterationMs is null ? "" : ", simulator oracle")}");
        }

        foreach (ReportBlock block in DecisionMatrix(run).Concat(Importance(run)).Concat(Memory(run)).Concat(Steps(run, reportDirectory)).Concat(Failures(run, reportDirectory)).Concat(Llm(run, reportDirectory)))
        {
            yield return block;
        }

        yield return new HeadingBlock(3, "Artifacts");
        yield return new TableBlock(["file"], [.. s.Artifacts.Select(a => (IReadOnlyList<Cell>)[new Cell(a, Text.Link(reportDirectory, run.Directory, a))])]);
    }

    private static TableBlock Summary(RunSummary s)
    {
        var rows = new List<IReadOnlyList<Cell>>
        {
            new Cell[] { "mode", s.Mode },
            new Cell[] { "context", s.ContextSignature ?? "—" },
            new Cell[] { "baseline (NCCL defaults)", Format.Ms(s.BaselineIterationMs) },
            new Cell[] { "best found", $"{Format.Ms(s.BestIterationMs)} (speedup {Format.Num(s.Speedup)}×)" },
        };
        if (s.ConfirmIterationMs is double confirm)
        {
            rows.Add(["best, re-run to confirm", $"{Format.Ms(confirm)} ({(s.Confirmed ? "confirmed" : "NOT confirmed")})"]);
        }

        if (s.OracleIterationMs is double oracle)
        {
            rows.Add(["simulator oracle (noise-free optimum)", $"{Format.Ms(oracle)}; oracle / best true time = {(s.OracleFraction is double f ? Format.Num(f) : "—")}"]);
        }

        rows.Add(["stop reason", s.StopReason]);
        rows.Add(["trials", $"{s.Trials} ({s.FailedTrials} failed, {s.BlockedCandidates} candidates blocked by risk)"]);
        rows.Add(["cost", $"{Format.Num(s.ClusterSeconds, "0")} cluster seconds, {Format.Num(s.GpuHours, "0.00")} GPU-hours"]);
        return new TableBlock(["", "value"], rows, "Summary (postrun/summary.json)");
    }

    private static IEnumerable<ReportBlock> DecisionMatrix(LoadedRun run)
    {
        yield return new HeadingBlock(3, "Per-collective decisions (postrun/nccl_tuner.conf)");
        if (run.TunerRows.Count == 0)
        {
            yield return new ParagraphBlock("No per-collective choice: the delivered trial set environment variables only (or the run has no nccl_tuner.conf).");
            yield break;
        }

        yield return new TableBlock(["collective", "min bytes", "max bytes", "algorithm", "protocol", "channels", "nodes", "ranks"],
            [.. run.TunerRows.Select(r => (IReadOnlyList<Cell>)[r.Collective, r.MinBytes, r.MaxBytes, r.Algorithm, r.Protocol, r.Channels, r.Nodes, r.Ranks])]);
    }

    private static IEnumerable<ReportBlock> Importance(LoadedRun run)
    {
        if (run.Plan is not { Importance.Count: > 0 } plan)
        {
            yield break;
        }

        yield return new HeadingBlock(3, "Parameter importance (offline microbenchmark)");
        yield return new TableBlock(["parameter", "importance", "pruned"],
            [.. plan.Importance.OrderByDescending(kv => kv.Value).Select(kv => (IReadOnlyList<Cell>)[kv.Key, Format.Num(kv.Value, "0.0000"), plan.PrunedDimensions.Contains(kv.Key) ? "yes" : ""])],
            "The largest relative change in weighted communication time any value of the parameter caused.");
    }

    private static IEnumerable<ReportBlock> Memory(LoadedRun run)
    {
        yield return new HeadingBlock(3, "Memory rules");
        PlanFile? plan = run.Plan;
        List<(string Kind, PlanRule Rule)> rules = plan is null ? [] : [.. plan.MemoryRules.Select(r => ("use", r)).Concat(plan.AvoidRules.Select(r => ("avoid", r)))];
        yield return rules.Count == 0
            ? new ParagraphBlock("No rule was retrieved from memory for this context.")
            : new TableBlock(["kind", "rule", "patch", "description", "score", "similarity"],
                [.. rules.Select(x => (IReadOnlyList<Cell>)[x.Kind, x.Rule.Id, Format.Change(x.Rule.Patch), x.Rule.Description ?? "", Format.Num(x.Rule.Score), Format.Num(x.Rule.Similarity)])],
                "Retrieved for this run (offline/plan.json).");
        yield return new ParagraphBlock("Rules learned from this run go to the SQLite memory, not the run directory: `ccl-agent memory list` shows them.");
    }

    private static IEnumerable<ReportBlock> Steps(LoadedRun run, string reportDirectory)
    {
        yield return new HeadingBlock(3, "Steps");
        yield return new TableBlock(["step", "source", "change from incumbent", "status", "median", "decision", "reason"],
            [.. run.Steps.Select(step => (IReadOnlyList<Cell>)[
                new Cell(StepName(step), Text.Link(reportDirectory, run.Directory, StepFileName(step))),
                step.Source + (step.Decision?.FromModel == true ? " (model)" : ""),
                Format.Change(step.ConfigDelta),
                step.FailureClass is null ? step.Status : $"{step.Status} ({step.FailureClass})",
                step.Metrics.IterationMsMedian > 0 ? Format.Ms(step.Metrics.IterationMsMedian) : "—",
                step.Decision?.Decision ?? "",
                step.Decision?.Reason ?? ""])],
            "Only the parameters a step changed are shown; each step's file holds its full configuration and candidate trace.");
    }

    private static IEnumerable<ReportBlock> Failures(LoadedRun run, string reportDirectory)
    {
        StepFile[] failed = [.. run.Steps.Where(s => s.Status != "ok")];
        if (failed.Length == 0)
        {
            yield break;
        }

        yield return new HeadingBlock(3, "Failed steps");
        yield return new TableBlock(["step", "status", "failure class", "diagnosis", "message"],
            [.. failed.Select(step => (IReadOnlyList<Cell>)[
                new Cell(StepName(step), Text.Link(reportDirectory, run.Directory, StepFileName(step))),
                step.Status,
                step.FailureClass ?? "",
                step.Diagnosis is { } d ? $"{d.Category}: {d.RootCause} (confidence {Format.Num(d.Confidence, "0.00")})" : "no diagnosis recorded",
                step.FailureMessage ?? ""])]);
    }

    private static IEnumerable<ReportBlock> Llm(LoadedRun run, string reportDirectory)
    {
        RunSummary s = run.Summary;
        if (run.LlmCalls.Count == 0 && s.LlmProvider is null)
        {
            yield break;
        }

        yield return new HeadingBlock(3, "Language-model calls");
        yield return new ParagraphBlock(s.LlmUsed
            ? $"{s.LlmProvider}: {s.LlmCalls} call(s), {s.LlmProposals} proposal(s) passed validation, {s.LlmProposalsApplied} applied, {s.LlmProposalsAccepted} accepted as faster."
            : $"{s.LlmProvider ?? "model"}: not used ({s.LlmUnavailable ?? "no reply"}); the run took the deterministic path.");
        if (run.LlmCalls.Count > 0)
        {
            yield return new TableBlock(["call", "purpose", "model", "outcome", "reason", "latency"],
                [.. run.LlmCalls.Select(c => (IReadOnlyList<Cell>)[
                    new Cell(c.CallId, Text.Link(reportDirectory, run.Directory, $"llm/{c.CallId}.json")),
                    c.Purpose, $"{c.Provider} {c.Model}".Trim(), c.Outcome, c.OutcomeReason ?? "", Format.Ms(c.LatencyMs)])]);
        }
    }

    private static string StepName(StepFile step) => step.Kind == "confirm" ? "confirm" : Format.Int(step.Step);

    private static string StepFileName(StepFile step) => step.Kind == "confirm" ? "steps/step_confirm.json" : $"steps/step_{step.Step}.json";
}
