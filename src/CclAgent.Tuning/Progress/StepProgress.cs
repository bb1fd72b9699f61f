using CclAgent.Core.Steps;

namespace CclAgent.Tuning.Progress;

/// <summary>One line of live progress: what changed, what it measured, the best so far.</summary>
public sealed record StepProgress(int Step, int Budget, StepKind Kind, string Change, StepStatus Status, double? IterationMs, double BestMs, double BaselineMs, string? StopReason);
