using CclAgent.Core.Steps;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.Records;
using CclAgent.Core.Statistics;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Tuning.PostRun;

/// <summary>What the online loop and the confirm step established, handed to the deliverables and the learner.</summary>
internal sealed record RunResult(IReadOnlyList<StepRecord> Steps, NcclConfig Best, double BaselineMs, double BestMs, string StopReason, RobustStats? Confirm, bool Cancelled)
{
    public int Trials => Steps.Count(s => s.Kind == StepKind.Trial);

    /// <summary>Set when the run found nothing faster than the defaults beyond noise and delivers them; says why.</summary>
    public string? DefaultsReason { get; init; }

    /// <summary>Set for an in-job run (<c>tune --in-job</c>): job launches, windows and the decision-log check.</summary>
    public InJobCounts? InJob { get; init; }
}
