using System.Globalization;
using System.Text.Json;
using CclAgent.Core.Context;
using CclAgent.Core.Failures;
using CclAgent.Core.Json;
using CclAgent.Core.Steps;
using CclAgent.Core.Statistics;
using CclAgent.Core.Tools;
using CclAgent.Core.Tracing;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Nccl.Tuner;
using CclAgent.Core.Files;
using CclAgent.Tuning.Advice;
using CclAgent.Tuning.Cost;
using CclAgent.Tuning.CrossRun;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Knowledge;
using CclAgent.Tuning.Learning;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.PostRun;
using CclAgent.Tuning.Progress;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Risk;
using CclAgent.Tuning.Resuming;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning;

/// <summary>
/// The tuning agent: offline planning, the online apply → run → SLA check → record → decide loop,
/// and post-run learning. Every tool call goes through the instrumented <see cref="ToolInvoker"/>,
/// every phase and step is a trace span, and every step leaves steps/step_&lt;k&gt;.json.
/// </summary>
public sealed class TuningEngine(TuningContext context)
{
    private readonly ToolInvoker _tools = new(context.Trace);
    private readonly List<StepRecord> _steps = [];

    // Real runs are charged their wall time; what the simulator ran, the cost model's estimate.
    private readonly ClusterCharge _charge = new(TuningCostModel.For(context.Workload), context.Time, context.Options.Mode == TuningModes.Real, context.Options.Mode != TuningModes.DryRun);
    private ModelProposals? _advisor;

    public async Task<TuningOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var platform = NcclPlatform.FromCluster(context.Workload.Cluster!);
        CollectiveOp[] ops = context.Workload.Iteration!.Collectives!.Select(c => OpNames.Parse(c.Op!)).Distinct().ToArray();
        var setup = new Setup(platform, ops, SearchSpace.For(platform, ops));

        Offline offline = await PlanOfflineAsync(setup, cancellationToken);
        Online online = await RunOnlineAsync(setup, offline, cancellationToken);
        if (online.JobFailure is not null)
        {
            return new TuningOutcome(null, false, online.JobFailure, _steps);
        }

        if (online.StopReason == PreemptedStop)
        {
            return new TuningOutcome(null, false, null, _steps) { Preempted = true };
        }

        if (online.Cancelled && double.IsNaN(online.BaselineMs))
        {
            // Nothing was measured yet: there is no result to summarise or learn from.
            throw new OperationCanceledException(cancellationToken);
        }

        return await FinishAsync(offline, online, cancellationToken);
    }

    /// <summary>Offline planning: context, microbenchmark, surrogate, risk, memory, knowledge and the model's first proposal.</summary>
    private async Task<Offline> PlanOfflineAsync(Setup setup, CancellationToken cancellationToken)
    {
        WorkloadSpec workload = context.Workload;
        TuningOptions options = context.Options;
        using TraceSpan span = context.Trace.BeginSpan("phase.offline", "offline", "planner");
        ContextFeatures features = await _tools.Invoke(new ToolCall("context", "offline"), () => ContextSignatureBuilder.From(workload));
        await RecordReplayInputsAsync();
        MicrobenchmarkResult bench = await _tools.InvokeAsync(
            new ToolCall("microbenchmark", "offline") { Arguments = Payload(("collectives", workload.Iteration!.Collectives!.Count.ToString(CultureInfo.InvariantCulture))) },
            ct => RecordedMicrobenchmark() is { } recorded
                ? Task.FromResult(recorded)
                : new Microbenchmark(context.Benchmark, setup.Space) { SweptSubspaces = context.Options.MicrobenchmarkSweptSubspaces, MaxRuns = context.Options.MicrobenchmarkMaxRuns, Charge = _charge }.RunAsync(workload, ct),
            cancellationToken);
        await ArtifactJson.WriteAsync(Path.Combine(context.Run.Offline, "microbenchmark.json"), bench, TuningJsonContext.Default.MicrobenchmarkResult, CancellationToken.None);

        var surrogate = new IterationSurrogate(bench, workload.Iteration.ComputeMs ?? 0, workload.Cluster!.SmCount ?? 108, setup.Space);
        if (CrossRunModel.Load(RunLearner.CrossRunModelPath(context), options.Seed) is { } crossRun)
        {
            surrogate.UseCrossRunPrior(config => crossRun.PredictRelativeLog(features, config));
            context.Trace.Emit(new TraceEntry("surrogate.prior", "offline", "planner") { Payload = Payload(("cross_run_model", RunLearner.CrossRunModelPath(context))) });
        }

        var avoid = context.Memory.AvoidRules(features)
            .Select(a => new AvoidRule(a.Rule.Id, a.Rule.Patch, a.Rule.FailureClass, a.Rule.Reason)).ToList();
        var risk = new RiskScorer(setup.Platform, setup.Ops, workload.Iteration.GpuMemoryHeadroomGib, avoid, workload.Iteration.Collectives!.Select(CollectiveCall.From).ToList());
        OfflinePlan plan = await _tools.Invoke(new ToolCall("memory", "offline"), () => OfflinePlanner.Plan(features, setup.Space, bench, context.Memory, surrogate, risk, options, cancellationToken));
        plan = plan with { Knowledge = KnowledgeBase.Cite(KnowledgeBase.For(workload, setup.Platform), context.Knowledge) };
        if (context.Advisor is { } advisor)
        {
            // The model proposes a first configuration; it is validated and risk-scored like every candidate.
            _advisor = new ModelProposals(advisor, context.Knowledge, workload, features, setup.Platform, setup.Space, new ProposalValidator(setup.Space, risk, surrogate, setup.Platform, setup.Ops));
            plan = await _advisor.ProposeBaselineAsync(plan, surrogate, cancellationToken);
        }

        await ArtifactJson.WriteAsync(Path.Combine(context.Run.Offline, "plan.json"), plan, TuningJsonContext.Default.OfflinePlan, CancellationToken.None);
        new RunLearner(context, features).Begin();
        span.Complete("ok", Payload(("context_signature", features.Signature), ("warm_start", plan.WarmStart?.Source ?? "none")));
        return new Offline(features, plan, surrogate, risk);
    }

    /// <summary>
    /// offline/replay.json and the copies it names: the memory and cross-run model as this run found them, so that
    /// <c>replay</c> needs nothing outside the run directory. A resumed run keeps the files of its first start.
    /// </summary>
    private async Task RecordReplayInputsAsync()
    {
        string file = Path.Combine(context.Run.Offline, "replay.json");
        if (File.Exists(file))
        {
            return;
        }

        const string memoryCopy = "memory_at_start.db", modelCopy = "crossrun_at_start.zip";
        string model = RunLearner.CrossRunModelPath(context);
        bool hasModel = File.Exists(model);
        if (hasModel)
        {
            File.Copy(model, Path.Combine(context.Run.Offline, modelCopy), overwrite: true);
        }

        var inputs = new ReplayInputs
        {
            AppliesTunerConf = context.Runner.AppliesTunerConf,
            MemorySnapshot = context.Memory.SnapshotTo(Path.Combine(context.Run.Offline, memoryCopy)) ? memoryCopy : null,
            CrossRunModel = hasModel ? modelCopy : null,
            Model = context.Advisor?.Recorded,
        };
        await ArtifactJson.WriteAsync(file, inputs, TuningJsonContext.Default.ReplayInputs, CancellationToken.None);
    }

    /// <summary>
    /// A resumed real run reuses the nccl-tests sweep it paid for before the interruption, charged as then. In dry-run
    /// the simulated sweep is cheap and runs again, so the cost accounting is the uninterrupted run's to the last digit.
    /// </summary>
    private MicrobenchmarkResult? RecordedMicrobenchmark()
    {
        if (context.Resume is { ReplayOnly: true } replay)
        {
            MicrobenchmarkResult sweep = replay.Recorded.Microbenchmark ?? throw new ResumeException("offline/microbenchmark.json is missing; replay re-derives the plan from it");
            _charge.RecordedMicrobenchmark(sweep.ClusterSeconds);
            return sweep;
        }

        if (context.Options.Mode == TuningModes.DryRun || context.Resume?.Recorded.Microbenchmark is not { } recorded)
        {
            return null;
        }

        _charge.RecordedMicrobenchmark(recorded.ClusterSeconds);
        return recorded;
    }

    /// <summary>The online loop: (remembered best,) baseline, then apply → run → SLA → record → decide until a stop.</summary>
    private async Task<Online> RunOnlineAsync(Setup setup, Offline offline, CancellationToken cancellationToken)
    {
        using TraceSpan span = context.Trace.BeginSpan("phase.online", "online", "loop");
        var loop = new LoopState();
        try
        {
            var search = new SurrogateDescentSearch(setup.Space, offline.Surrogate, offline.Risk, PrunedImportance(offline.Plan, context.Options), Portfolio(offline.Plan))
            {
                Collectives = context.Runner.AppliesTunerConf ? CollectiveTargets(offline.Plan) : [],
                Platform = setup.Platform,
                Shortlist = offline.Plan.Shortlist,
                InJob = context.Runner is IInJobRunner ? new RestartEconomics(_charge.Model.JobStartSeconds, _charge.Model.RemainingIterations) : null,
            };
            Proposal? warm = WarmStartProposal(offline.Plan);

            int baselineStep = 0;
            if (warm is not null && offline.Plan.WarmStart!.Source == "memory-run")
            {
                await ApplyRememberedFirstAsync(warm, offline, loop, cancellationToken);
                warm = null;
                baselineStep = 1;
            }

            loop.BaselineStep = baselineStep;

            StepOutcome baseline = await RunStepAsync(baselineStep, StepKind.Baseline, StepAction.Apply, "baseline", NcclConfig.Default, loop.Remembered?.Config ?? NcclConfig.Default, null, offline.Features, cancellationToken);
            if (baseline.Stats is null)
            {
                span.Complete("error");
                await WriteStepAsync(baseline.Record with { Decision = new DecisionRecord { Decision = StepDecision.Stop, Reason = "the baseline run failed: the job cannot run", StopReason = "baseline_failed" } });
                return new Online(null, double.NaN, null, 0, "baseline_failed", false, $"the baseline run failed ({baseline.Record.FailureClass}: {baseline.Record.FailureMessage})");
            }

            SearchState state = AdoptBaseline(baseline, offline.Surrogate, loop, out StepDecision baselineDecision);
            if (warm is not null && search.InJob is { } economics && RestartEconomics.NeedsRestart(warm.Config, state.Incumbent)
                && economics.NetSeconds(Math.Max(0, state.IncumbentStats.Median - warm.ExpectedMs), restart: true) <= 0)
            {
                // In-job the plan's first trial is a restart like any other: only when its predicted saving pays for it.
                warm = null;
            }

            Proposal? next = warm ?? search.Next(state, baselineStep + 1, cancellationToken);
            await WriteStepAsync(baseline.Record with { Decision = Decide(baselineDecision, BaselineReason(loop, baselineDecision), baseline, null, next) });
            Report(baseline.Record, state, loop.BaselineMs, null);

            for (int step = baselineStep + 1; step <= context.Options.Budget; step++)
            {
                if (context.StopAfterStep.IsCancellationRequested)
                {
                    loop.StopReason = PreemptedStop;
                    break;
                }

                if (next is null)
                {
                    loop.StopReason = "search_exhausted";
                    break;
                }

                state.MarkVisited(next.Config);
                StepOutcome outcome = await RunStepAsync(step, StepKind.Trial, StepAction.Apply, next.Source, next.Config, state.Incumbent, next, offline.Features, cancellationToken);
                (StepDecision decision, string reason) = Judge(outcome, next, state, offline);
                string? stop = StopReason(state, loop.BaselineMs, step);
                if (stop is null && _advisor is not null && step % context.Options.LlmEvery == 0)
                {
                    StepRecord decided = outcome.Record with { Decision = new DecisionRecord { Decision = decision, Reason = reason } };
                    search.AddHypotheses(await _advisor.ProposeHypothesesAsync(state, [.. _steps, decided], step, cancellationToken));
                }

                next = stop is null ? search.Next(state, step + 1, cancellationToken) : null;
                await WriteStepAsync(outcome.Record with { Decision = Decide(decision, reason, outcome, stop, next) });
                Report(outcome.Record, state, loop.BaselineMs, stop);
                if (stop is not null)
                {
                    loop.StopReason = stop;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            loop.Cancelled = true;
            loop.StopReason = "cancelled";
        }

        span.Complete(loop.Cancelled ? "cancelled" : "ok", Payload(("stop_reason", loop.StopReason)));
        return new Online(loop.State, loop.BaselineMs, loop.BaselineStats, loop.BaselineStep, loop.StopReason, loop.Cancelled, null);
    }

    /// <summary>
    /// An earlier run's confirmed best goes first, so the job is fast from its first run; the
    /// NCCL-default baseline is measured right after it. The remembered configuration is a hypothesis
    /// under test: <see cref="AdoptBaseline"/> makes it the incumbent only if it beats the defaults beyond noise.
    /// </summary>
    private async Task ApplyRememberedFirstAsync(Proposal warm, Offline offline, LoopState loop, CancellationToken cancellationToken)
    {
        StepOutcome first = await RunStepAsync(0, StepKind.Trial, StepAction.Apply, warm.Source, warm.Config, NcclConfig.Default, warm, offline.Features, cancellationToken);
        if (first.Stats is not null)
        {
            offline.Surrogate.Anchor(warm.Config, first.Stats.Median);
            offline.Surrogate.Observe(warm.Config, first.Stats.Median, first.Stats.RelativeError);
            loop.Remembered = (warm.Config, first.Stats);
        }
        else
        {
            offline.Risk.Learn(AvoidRuleFor(offline.Features, warm.Config, NcclConfig.Default, first.Record));
        }

        await WriteStepAsync(first.Record with
        {
            Decision = Decide(first.Stats is null ? StepDecision.Rollback : StepDecision.Accept, first.Stats is null ? "the remembered configuration failed here; back to NCCL defaults" : "remembered best configuration applied first; it must beat the NCCL defaults measured next", first, null, null),
        });
        if (first.Stats is not null)
        {
            Report(first.Record, new SearchState(warm.Config, first.Stats), double.NaN, null);
        }
    }

    /// <summary>
    /// The NCCL defaults are always the reference incumbent. A remembered configuration measured first
    /// replaces them only when it is faster beyond noise (the loop's own test); then the baseline step
    /// records "baseline" (the incumbent stays the remembered one), otherwise "accept" (the defaults take over).
    /// </summary>
    private static SearchState AdoptBaseline(StepOutcome baseline, IterationSurrogate surrogate, LoopState loop, out StepDecision decision)
    {
        RobustStats stats = baseline.Stats!;
        loop.BaselineMs = stats.Median;
        loop.BaselineStats = stats;
        decision = StepDecision.Baseline;
        if (loop.Remembered is null)
        {
            surrogate.Anchor(NcclConfig.Default, stats.Median);
        }

        loop.State = new SearchState(NcclConfig.Default, stats);
        if (loop.Remembered is { } remembered)
        {
            loop.State.MarkVisited(remembered.Config);
            decision = loop.State.Accept(remembered.Config, remembered.Stats) ? StepDecision.Baseline : StepDecision.Accept;
        }

        surrogate.Observe(NcclConfig.Default, stats.Median, stats.RelativeError);
        return loop.State;
    }

    /// <summary>Why the baseline step decided as it did, when a remembered configuration ran before it.</summary>
    private static string BaselineReason(LoopState loop, StepDecision decision) => loop.Remembered is not { } remembered
        ? "NCCL defaults measured as the baseline"
        : decision == StepDecision.Accept
            ? string.Create(CultureInfo.InvariantCulture, $"NCCL defaults measured as the baseline; the remembered configuration's {remembered.Stats.Median:0.00} ms is not faster beyond noise, so the defaults are the incumbent")
            : string.Create(CultureInfo.InvariantCulture, $"NCCL defaults measured as the baseline; the remembered configuration's {remembered.Stats.Median:0.00} ms is faster beyond noise and stays the incumbent");

    /// <summary>Accept (faster beyond noise), reject, or roll back a failed trial and learn its avoid-rule.</summary>
    private static (StepDecision Decision, string Reason) Judge(StepOutcome outcome, Proposal applied, SearchState state, Offline offline)
    {
        if (outcome.Stats is null)
        {
            state.Reject();
            if (outcome.Record.FailureClass?.Kind == FailureKind.TransientNetwork)
            {
                // A network flap says nothing about the configuration: no avoid-rule.
                return (StepDecision.Rollback, $"{WireName.Of(outcome.Record.Status)} ({outcome.Record.FailureClass}); back to last known-good; transient, so no avoid-rule");
            }

            if (applied.Config.PatchFrom(state.Incumbent).Count == 0)
            {
                // The known-good configuration itself failed: the environment, not a setting, is to blame.
                return (StepDecision.Rollback, $"{WireName.Of(outcome.Record.Status)} ({outcome.Record.FailureClass}) with the last known-good configuration itself; no setting to avoid");
            }

            AvoidRule rule = AvoidRuleFor(offline.Features, applied.Config, state.Incumbent, outcome.Record);
            offline.Risk.Learn(rule);
            return (StepDecision.Rollback, $"{WireName.Of(outcome.Record.Status)} ({outcome.Record.FailureClass}, diagnosed {rule.FailureClass}); back to last known-good; avoid-rule {rule.Id} learned");
        }

        offline.Surrogate.Observe(applied.Config, outcome.Stats.Median, outcome.Stats.RelativeError);
        return state.Accept(applied.Config, outcome.Stats)
            ? (StepDecision.Accept, $"{outcome.Stats.Median:0.00} ms is faster than the incumbent beyond noise")
            : (StepDecision.Reject, $"{outcome.Stats.Median:0.00} ms is not faster than the incumbent {state.IncumbentStats.Median:0.00} ms beyond noise");
    }

    /// <summary>Post-run: confirm the best with a real re-run, then learn and write the deliverables (always, even after Ctrl+C).</summary>
    private async Task<TuningOutcome> FinishAsync(Offline offline, Online online, CancellationToken cancellationToken)
    {
        // A resumed run whose record ended in the online phase measures again from here on.
        context.Resume?.Reach(_steps.Count);
        using TraceSpan span = context.Trace.BeginSpan("phase.postrun", "postrun", "learner");
        StepOutcome? confirm = null;
        string? defaultsReason = null;
        var deliverables = new DeliverableWriter(context, offline.Features, offline.Plan, _tools);
        if (!online.Cancelled && online.State is not null)
        {
            // The confirm step runs the job from the deliverable files themselves, read back as a job reads them.
            NcclConfig best = online.State.Incumbent;
            await deliverables.WriteConfigurationAsync(best, online.BaselineMs, online.State.IncumbentStats.Median);
            NcclConfig delivered = deliverables.ReadConfiguration();
            confirm = await RunStepAsync(_steps.Count, StepKind.Confirm, StepAction.Confirm, "confirm", delivered, best, null, offline.Features, CancellationToken.None,
                delivered.HasChoices ? deliverables.TunerConfFile : null);
            defaultsReason = FinalChoice.DefaultsReason(online.State.Incumbent, online.BaselineStats, confirm.Stats);
            await WriteStepAsync(confirm.Record with
            {
                Decision = new DecisionRecord
                {
                    Decision = confirm.Stats is null || defaultsReason is not null ? StepDecision.Reject : StepDecision.Accept,
                    Reason = defaultsReason ?? "the best configuration was re-run to confirm it",
                    Evidence = [$"metric:{confirm.Record.Step}:iteration_ms", $"metric:{online.BaselineStep}:iteration_ms"],
                },
            });
        }

        // The deliverable is never slower than the defaults measured: an unconfirmed gain delivers the defaults.
        var result = defaultsReason is null
            ? new RunResult(_steps, online.State?.Incumbent ?? NcclConfig.Default, online.BaselineMs, online.State?.IncumbentStats.Median ?? online.BaselineMs, online.StopReason, confirm?.Stats, online.Cancelled)
            : new RunResult(_steps, NcclConfig.Default, online.BaselineMs, online.BaselineMs, online.StopReason, null, online.Cancelled) { DefaultsReason = defaultsReason };
        IInJobRunner? inJob = context.Runner as IInJobRunner;
        if (inJob is not null)
        {
            // The job keeps running on the deliverable: its table stays in place (the defaults' empty table when they are delivered).
            await SettleAsync(inJob, result.Best, deliverables);
            result = result with { InJob = inJob.Counts };
        }

        ModelUsage? model = context.Advisor?.Usage(_advisor?.ValidatedProposals ?? 0);
        TuningSummary summary = await deliverables.WriteAsync(result, model);

        // Learning comes after the deliverables, so a run that memory calls finished always has them.
        var learner = new RunLearner(context, offline.Features);
        await _tools.Invoke(new ToolCall("memory", "postrun"), () => learner.Learn(result));
        SurrogateTrainingReport training = await _tools.Invoke(new ToolCall("surrogate", "postrun"), learner.TrainCrossRun);
        await ArtifactJson.WriteAsync(Path.Combine(context.Run.Postrun, "surrogate_training_report.json"), training, TuningJsonContext.Default.SurrogateTrainingReport, CancellationToken.None);
        await _tools.Invoke(new ToolCall("memory", "postrun"), () => learner.Finish(result));
        span.Complete("ok", Payload(("speedup", summary.Speedup.ToString("0.0000", CultureInfo.InvariantCulture))));
        if (inJob is not null && !online.Cancelled)
        {
            // Tuning is over, the job is not: like a launcher, the agent stays with it until it ends.
            await inJob.WaitForEndAsync(cancellationToken);
        }

        return new TuningOutcome(summary, online.Cancelled, null, _steps);
    }

    private async Task<StepOutcome> RunStepAsync(int step, StepKind kind, StepAction action, string source, NcclConfig config, NcclConfig previous, Proposal? proposal, ContextFeatures features, CancellationToken cancellationToken, string? tunerConfFile = null)
    {
        using TraceSpan span = context.Trace.BeginSpan("step", "online", "loop", step, Payload(("kind", WireName.Of(kind)), ("config", config.Key)));
        long start = context.Time.GetTimestamp();
        IReadOnlyList<KeyValuePair<string, string>> environment = await _tools.Invoke(new ToolCall("compiler", "online", step), () => NcclEnvCompiler.Compile(config));
        string? tunerConf = tunerConfFile ?? (config.HasChoices ? await WriteStepTunerConfAsync(step, kind, config) : null);
        if (tunerConf is not null)
        {
            environment = [.. environment, new(TunerConfFiles.Variable, tunerConf)];
        }

        var request = new JobRequest(step, kind, config, environment, context.Options.Iterations, context.Options.WarmupIterations) { WindowIterations = WindowIterations };
        long started = _charge.Start();
        JobResult result = await _tools.InvokeAsync(
            new ToolCall(context.Runner.ToolName, "online", step) { Arguments = Payload(("config", config.Key)) },
            ct => context.Runner.RunAsync(request, ct),
            cancellationToken);
        result = Plausible(result);
        double clusterSeconds = _charge.JobRun(result, context.Options.WarmupIterations, started);

        RobustStats? stats = result.IsOk ? RobustStats.Of(result.IterationMs) : null;
        StepStatus status = result.IsOk ? StepStatus.Ok : StepStatus.Failed;
        if (stats is not null)
        {
            bool breach = await _tools.Invoke(new ToolCall("sla", "online", step), () => context.Options.SlaMaxIterationMs is double sla && stats.Median > sla);
            if (breach)
            {
                status = StepStatus.SlaBreach;
            }
        }

        StepDiagnosis? diagnosis = null;
        if (!result.IsOk)
        {
            diagnosis = await _tools.Invoke(new ToolCall("diagnose", "online", step), () => context.Diagnoser.Diagnose(step, result.FailureClass, result.Message));
        }

        double baseline = _steps.FirstOrDefault(s => s.Kind == StepKind.Baseline)?.Metrics.IterationMsMedian ?? stats?.Median ?? double.NaN;
        var record = new StepRecord
        {
            Step = step,
            Kind = kind,
            Action = action,
            Source = source,
            Config = config.ToAssignments(),
            ConfigDelta = config.PatchFrom(previous),
            Environment = environment,
            CollectivesChanged = config.PatchFrom(previous).Keys.Where(TunerKey.IsName).ToList(),
            TunerConf = tunerConf is null ? null : Path.GetRelativePath(context.Run.Root, tunerConf),
            Status = status,
            FailureClass = status == StepStatus.SlaBreach ? FailureKind.SlaBreach : result.FailureClass,
            FailureMessage = status == StepStatus.SlaBreach ? $"median {stats!.Median:0.00} ms exceeds the SLA of {context.Options.SlaMaxIterationMs:0.00} ms" : result.Message,
            Metrics = Metrics(stats, baseline, config) with { IterationMsSamples = stats is null ? null : result.IterationMs },
            Diagnosis = diagnosis,
            CandidateTrace = proposal?.Trace ?? [],
            Risk = proposal?.Risk,
            DurationMs = Math.Round(context.Time.GetElapsedTime(start).TotalMilliseconds, 3),
            ClusterSeconds = Math.Round(clusterSeconds, 3),
            JobLaunched = context.Runner is IInJobRunner ? result.Restarted : null,
            DecisionsVerified = result.DecisionsVerified,
        };

        await _tools.Invoke(new ToolCall("memory", "online", step), () =>
        {
            context.Memory.RecordTrial(new TrialRecord
            {
                RunId = context.Run.RunId,
                Step = step,
                Kind = kind,
                ContextSignature = features.Signature,
                Config = config.ToAssignments(),
                IterationMs = stats?.Median,
                Status = status,
                FailureClass = record.FailureClass?.Name,
                RecordedAt = context.Time.GetUtcNow(),
            });
            return true;
        });

        span.Complete(WireName.Of(status), Payload(("iteration_ms", stats?.Median.ToString("0.000", CultureInfo.InvariantCulture) ?? "none")));
        return new StepOutcome(record, status == StepStatus.Ok ? stats : null, proposal);
    }

    /// <summary>
    /// Every runner should refuse impossible times itself (Runtime's collector does), but nothing downstream
    /// (statistics, surrogate, GP, memory, deliverables) may ever see one, so the engine checks again: a
    /// result with any implausible sample is a failed step, never a measured trial.
    /// </summary>
    private static JobResult Plausible(JobResult result)
    {
        if (!result.IsOk || MeasurementBounds.FirstImplausibleIterationMs(result.IterationMs) is not double bad)
        {
            return result;
        }

        return new JobResult(JobStatus.Failed, [], FailureKind.ImplausibleMetrics, MeasurementBounds.IterationMsProblem(bad, $"{result.IterationMs.Count} samples")) { Metrics = result.Metrics };
    }

    private StepMetrics Metrics(RobustStats? stats, double baseline, NcclConfig config) => new()
    {
        IterationMsMedian = Round(stats?.Median),
        IterationMsP90 = Round(stats?.P90),
        IterationMsTrimmedMean = Round(stats?.TrimmedMean),
        StandardErrorMs = Round(stats?.StandardErrorOfMedian),
        Samples = stats?.Count ?? 0,
        SpeedupVsBaseline = stats is null || double.IsNaN(baseline) ? null : Math.Round(baseline / stats.Median, 4),
        TrueIterationMs = context.Truth is null ? null : Round(context.Truth.TrueIterationMs(config)),
    };

    private DecisionRecord Decide(StepDecision decision, string reason, StepOutcome outcome, string? stop, Proposal? next)
    {
        double? expected = outcome.Proposal?.ExpectedMs;
        bool fromModel = outcome.Proposal?.Source is "llm" or "warm-start:llm";
        bool? held = expected is null || outcome.Stats is null ? null : outcome.Stats.Median <= expected.Value * 1.02;
        context.Trace.Emit(new TraceEntry("decision", "online", "loop")
        {
            Step = outcome.Record.Step,
            Payload = Payload(("decision", WireName.Of(decision)), ("reason", reason), ("stop_reason", stop ?? string.Empty)),
            Refs = [$"metric:{outcome.Record.Step}:iteration_ms", .. next?.Evidence ?? []],
        });
        return new DecisionRecord
        {
            Decision = decision,
            Reason = stop is null ? reason : $"{reason}; then stop: {stop}",
            Evidence = [$"metric:{outcome.Record.Step}:iteration_ms", .. outcome.Proposal?.Evidence ?? []],
            ExpectedIterationMs = Round(expected),
            ExpectationHeld = held,
            NextSource = next?.Source,
            NextRationale = next?.Rationale,
            NextConfig = next?.Config.ToAssignments(),
            NextExpectedIterationMs = Round(next?.ExpectedMs),
            StopReason = stop,
            FromModel = fromModel ? true : null,
            ModelProposalHelped = fromModel ? decision == StepDecision.Accept : null,
        };
    }

    private string? StopReason(SearchState state, double baselineMs, int step)
    {
        if (context.Options.TargetSpeedup is double target && baselineMs / state.IncumbentStats.Median >= target)
        {
            return "target_reached";
        }

        if (state.StepsSinceImprovement >= context.Options.PlateauSteps)
        {
            return "plateau";
        }

        return step >= context.Options.Budget ? "budget" : null;
    }

    /// <summary>
    /// The collectives per-collective moves act on, the most communication time first (a tuner plugin tells them apart by
    /// op, size and communicator), with the channel count NCCL gave each in the microbenchmark.
    /// </summary>
    private static List<CollectiveTarget> CollectiveTargets(OfflinePlan plan) =>
        (plan.Collectives ?? []).GroupBy(p => p.Key)
            .Select(g => new CollectiveTarget(g.Key, g.First().DefaultChannels, g.Sum(p => double.IsFinite(p.DefaultTimeUs) ? p.DefaultTimeUs * p.Count : 0)))
            .OrderByDescending(t => t.WeightUs).ToList();

    /// <summary>Hypotheses from memory rules (already ranked by similarity × recency × success) and from the knowledge base.</summary>
    private static List<Hypothesis> Portfolio(OfflinePlan plan)
    {
        var portfolio = plan.MemoryRules.Take(5).Select(r => new Hypothesis("memory-rule", r.Patch, $"rule:{r.Id}")).ToList();
        portfolio.AddRange(plan.Knowledge.Select(k => new Hypothesis("knowledge", k.Patch, $"knowledge:{k.Id}") { Citations = k.Citations }));
        return portfolio;
    }

    /// <summary>The plan's first trial; none when it is NCCL's defaults, which the baseline measures anyway.</summary>
    private static Proposal? WarmStartProposal(OfflinePlan plan) => plan.WarmStart is { Config.Count: > 0 } warm
        ? new Proposal(NcclConfig.FromAssignments(warm.Config), "warm-start:" + warm.Source, warm.Rationale, warm.PredictedMs, warm.Evidence, []) { Risk = warm.Risk }
        : null;

    private static Dictionary<string, double> PrunedImportance(OfflinePlan plan, TuningOptions options) =>
        plan.Importance.ToDictionary(kv => kv.Key, kv => kv.Value < options.PruneBelow ? -1 : kv.Value, StringComparer.Ordinal);

    private int? WindowIterations => context.Options.InJob ? context.Options.WindowIterations : null;

    /// <summary>Puts the deliverable in place in the running job: the postrun table (or none, for the defaults) in its environment.</summary>
    private async Task SettleAsync(IInJobRunner inJob, NcclConfig delivered, DeliverableWriter deliverables)
    {
        IReadOnlyList<KeyValuePair<string, string>> environment = NcclEnvCompiler.Compile(delivered);
        if (delivered.HasChoices)
        {
            environment = [.. environment, new(TunerConfFiles.Variable, deliverables.TunerConfFile)];
        }

        var request = new JobRequest(_steps.Count + 1, null, delivered, environment, context.Options.Iterations, context.Options.WarmupIterations) { WindowIterations = WindowIterations };
        await _tools.InvokeAsync(new ToolCall(context.Runner.ToolName, "postrun") { Arguments = Payload(("settle", delivered.Key)) }, async ct => { await inJob.SettleAsync(request, ct); return true; }, CancellationToken.None);
    }

    /// <summary>The step's per-collective choices as the conf file the job's tuner plugin reads (steps/step_k.nccl_tuner.conf).</summary>
    private async Task<string> WriteStepTunerConfAsync(int step, StepKind kind, NcclConfig config)
    {
        string name = kind == StepKind.Confirm ? "step_confirm.nccl_tuner.conf" : $"step_{step}.nccl_tuner.conf";
        string path = Path.Combine(context.Run.Steps, name);
        string text = TunerConfWriter.Render(TunerRows.For(config, TunerRows.KeysOf(context.Workload)), $"ccl-agent tune — run {context.Run.RunId}, step {step}");
        await AtomicFile.WriteAllTextAsync(path, text, CancellationToken.None);
        return path;
    }

    private async Task WriteStepAsync(StepRecord record)
    {
        _steps.Add(record);
        string name = record.Kind == StepKind.Confirm ? "step_confirm.json" : $"step_{record.Step}.json";
        await ArtifactJson.WriteAsync(Path.Combine(context.Run.Steps, name), record, TuningJsonContext.Default.StepRecord, CancellationToken.None);
    }

    private void Report(StepRecord record, SearchState state, double baselineMs, string? stop) =>
        context.Progress.Report(new StepProgress(
            record.Step, context.Options.Budget, record.Kind,
            record.ConfigDelta.Count == 0 ? (record.Kind == StepKind.Baseline ? "NCCL defaults" : "no change") : string.Join(" ", record.ConfigDelta.Select(kv => $"{kv.Key.Replace("NCCL_", string.Empty, StringComparison.Ordinal)}={kv.Value}")),
            record.Status, record.Metrics.IterationMsMedian, state.IncumbentStats.Median, baselineMs, stop));

    /// <summary>An avoid-rule is the failing parameter patch (what the candidate changed from the known-good), not the whole config.</summary>
    private static AvoidRule AvoidRuleFor(ContextFeatures features, NcclConfig failed, NcclConfig knownGood, StepRecord record)
    {
        IReadOnlyDictionary<string, string> patch = failed.PatchFrom(knownGood);
        string failureClass = record.Diagnosis?.Category ?? record.FailureClass?.Name ?? WireName.Of(record.Status);
        string reason = record.Diagnosis is { } d ? $"{d.RootCause} (diagnosis {d.Category}, confidence {d.Confidence:0.00}; {record.FailureMessage})" : record.FailureMessage ?? WireName.Of(record.Status);
        return new AvoidRule(RuleIds.AvoidRule(features.Signature, patch, failureClass), patch, failureClass, reason);
    }

    internal static JsonElement Payload(params (string Key, string Value)[] values) =>
        ArtifactJson.ToElement(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), TuningJsonContext.Default.DictionaryStringString);

    private static double? Round(double? value) => value is null || !double.IsFinite(value.Value) ? null : Math.Round(value.Value, 3);

    private sealed record StepOutcome(StepRecord Record, RobustStats? Stats, Proposal? Proposal);

    /// <summary>What the run searches: the platform, the workload's collectives and the discrete space.</summary>
    private sealed record Setup(NcclPlatform Platform, CollectiveOp[] Ops, SearchSpace Space);

    /// <summary>What offline planning hands to the online loop.</summary>
    /// <summary>The online loop's stop reason when <see cref="TuningContext.StopAfterStep"/> was signalled.</summary>
    private const string PreemptedStop = "preempted";

    private sealed record Offline(ContextFeatures Features, OfflinePlan Plan, IterationSurrogate Surrogate, RiskScorer Risk);

    /// <summary>How the online loop ended; <see cref="JobFailure"/> is set when the baseline itself could not run.</summary>
    private sealed record Online(SearchState? State, double BaselineMs, RobustStats? BaselineStats, int BaselineStep, string StopReason, bool Cancelled, string? JobFailure);

    /// <summary>The online loop's mutable state, kept in one place so a cancellation still sees everything measured.</summary>
    private sealed class LoopState
    {
        public SearchState? State { get; set; }
        public double BaselineMs { get; set; } = double.NaN;
        public RobustStats? BaselineStats { get; set; }
        public int BaselineStep { get; set; }

        /// <summary>A remembered configuration measured before the baseline: a hypothesis, not yet an incumbent.</summary>
        public (NcclConfig Config, RobustStats Stats)? Remembered { get; set; }
        public string StopReason { get; set; } = "budget";
        public bool Cancelled { get; set; }
    }
}
