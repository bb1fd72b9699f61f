using CclAgent.Core.Context;
using CclAgent.Core.Steps;

namespace CclAgent.Memory.Tests.Support;

/// <summary>Builders for records with sensible defaults, so each test states only what it is about.</summary>
internal static class Records
{
    public static RunRecord Run(string runId, ContextFeatures? features = null, DateTimeOffset? startedAt = null) => new()
    {
        RunId = runId,
        Features = features ?? Contexts.A40Pcie,
        WorkloadName = "llama3-8b-fsdp",
        Mode = "tune",
        StartedAt = startedAt ?? TestBed.Start,
    };

    public static RunRecord Finished(string runId, ContextFeatures features, double speedup, DateTimeOffset startedAt) =>
        Run(runId, features, startedAt) with
        {
            FinishedAt = startedAt.AddHours(1),
            BaselineIterationMs = 100,
            BestIterationMs = 100 / speedup,
            Speedup = speedup,
            BestConfig = Config(("NCCL_ALGO", "Tree")),
            StopReason = "budget",
            Trials = 12,
        };

    public static TrialRecord Trial(string runId, int step, IReadOnlyDictionary<string, string>? config = null) => new()
    {
        RunId = runId,
        Step = step,
        Kind = StepKind.Trial,
        ContextSignature = Contexts.A40Pcie.Signature,
        Config = config ?? Config(("NCCL_ALGO", "Ring")),
        IterationMs = 95.5,
        Status = StepStatus.Ok,
    };

    public static RuleRecord Rule(ContextFeatures features, IReadOnlyDictionary<string, string>? patch = null) => new()
    {
        Features = features,
        Patch = patch ?? Config(("NCCL_ALGO", "Tree")),
        Effect = 0.1,
        Successes = 1,
        Description = "Tree beats Ring at this size",
    };

    public static AvoidRuleRecord Avoid(ContextFeatures features, string failureClass = "hang") => new()
    {
        Features = features,
        Patch = Config(("NCCL_PROTO", "LL128")),
        FailureClass = failureClass,
        Reason = "LL128 hangs on this fabric",
    };

    public static Dictionary<string, string> Config(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(pair => pair.Key, pair => pair.Value);
}
