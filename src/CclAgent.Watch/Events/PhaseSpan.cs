using CclAgent.Watch.Analysis;

namespace CclAgent.Watch.Events;

/// <summary>One stretch of the run spent in one phase.</summary>
public sealed record PhaseSpan(TrainingPhase Phase, long FromLine, long ToLine, long? FromStep, long? ToStep, long Records);
