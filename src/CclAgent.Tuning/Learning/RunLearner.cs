using CclAgent.Core.Context;
using CclAgent.Core.Failures;
using CclAgent.Core.Json;
using CclAgent.Core.Steps;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.CrossRun;
using CclAgent.Tuning.PostRun;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Learning;

/// <summary>
/// What a run teaches the memory, and the run's row there. The row is opened when the run starts (its trials
/// hang on it) and completed after the deliverables are written, so a finished run in memory always has them.
/// Rules distil what changed, by how much and where; avoid-rules are the failing parameter patch.
/// </summary>
internal sealed class RunLearner(TuningContext context, ContextFeatures features)
{
    /// <summary>The cross-run model lives beside the memory database it was trained from.</summary>
    public static string CrossRunModelPath(TuningContext context) => Path.ChangeExtension(context.Memory.FilePath, ".crossrun.zip");

    /// <summary>Opens the run's row: identity and context, no outcome yet; and who runs it, so a killed run reads as interrupted.</summary>
    public void Begin()
    {
        context.Memory.RecordRun(Row(null, null, NcclConfig.Default, null, 0) with { FinishedAt = null });
        context.Memory.RecordLiveness(context.Run.RunId, Environment.MachineName, Environment.ProcessId);
    }

    /// <summary>Rules and avoid-rules from the steps.</summary>
    public bool Learn(RunResult result)
    {
        MemoryStore memory = context.Memory;
        double previousMs = result.BaselineMs;
        foreach (StepRecord step in result.Steps.Where(s => s.Kind == StepKind.Trial))
        {
            if (step.Status != StepStatus.Ok && step.FailureClass is { } failure && failure.Kind != FailureKind.TransientNetwork)
            {
                RecordAvoidRule(step, failure);
            }
            else if (step.Decision?.Decision == StepDecision.Accept && step.Metrics.IterationMsMedian is double ms && ms < previousMs && step.ConfigDelta.Count > 0)
            {
                double gain = 1 - (ms / previousMs);
                memory.UpsertRule(new RuleRecord
                {
                    ContextSignature = features.Signature, Features = features, Patch = step.ConfigDelta, Effect = gain, Successes = 1,
                    Evidence = [$"metric:{step.Step}:iteration_ms", $"run:{context.Run.RunId}"],
                    Description = $"{string.Join(", ", step.ConfigDelta.Select(kv => $"{kv.Key}={kv.Value}"))}: {gain:P1} faster from {ms / (1 - gain):0.0} ms",
                    LastSeen = context.Time.GetUtcNow(),
                });
                previousMs = ms;
            }
        }

        if (!result.Best.Equals(NcclConfig.Default) && result.BestMs < result.BaselineMs)
        {
            memory.UpsertRule(new RuleRecord
            {
                ContextSignature = features.Signature, Features = features, Patch = result.Best.ToAssignments(), Effect = 1 - (result.BestMs / result.BaselineMs), Successes = 1,
                Evidence = [$"run:{context.Run.RunId}"], Description = $"best configuration of {context.Workload.Name}: {result.BaselineMs / result.BestMs:0.000}× over NCCL defaults",
                LastSeen = context.Time.GetUtcNow(),
            });
        }

        return true;
    }

    /// <summary>Retrains the cross-run model on every similar run in memory (this one included); the next run's prior.</summary>
    /// <remarks>Training is an optimisation for later runs: if it throws, this run still succeeds and the report says why.</remarks>
    public SurrogateTrainingReport TrainCrossRun()
    {
        int samples = 0;
        try
        {
            List<CrossRunExample> examples = CrossRunModel.Examples(context.Memory, features);
            samples = examples.Count;
            return CrossRunModel.Train(examples, context.Options.Seed, CrossRunModelPath(context)).Report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return CrossRunModel.Failed(samples, $"training failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Completes the run's row with its outcome.</summary>
    public bool Finish(RunResult result)
    {
        context.Memory.RecordRun(Row(result.BaselineMs, result.BestMs, result.Best, result.StopReason, result.Trials));
        return true;
    }

    private void RecordAvoidRule(StepRecord step, FailureClass failure)
    {
        IReadOnlyDictionary<string, string> patch = step.ConfigDelta.Count > 0 ? step.ConfigDelta : step.Config;
        if (patch.Count == 0)
        {
            return;
        }

        context.Memory.RecordAvoidRule(new AvoidRuleRecord
        {
            ContextSignature = features.Signature, Features = features, Patch = patch,
            FailureClass = step.Diagnosis?.Category ?? failure.Name,
            Reason = step.Diagnosis is { } d ? $"{d.RootCause} ({step.FailureMessage})" : step.FailureMessage ?? WireName.Of(step.Status),
            LastSeen = context.Time.GetUtcNow(),
        });
    }

    private RunRecord Row(double? baseline, double? best, NcclConfig bestConfig, string? stop, int trials) => new()
    {
        RunId = context.Run.RunId,
        ContextSignature = features.Signature,
        Features = features,
        WorkloadName = context.Workload.Name!,
        Mode = context.Options.Mode,
        StartedAt = context.StartedAt,
        FinishedAt = context.Time.GetUtcNow(),
        BaselineIterationMs = baseline,
        BestIterationMs = best,
        Speedup = baseline / best,
        BestConfig = bestConfig.ToAssignments(),
        StopReason = stop,
        Trials = trials,
    };
}
