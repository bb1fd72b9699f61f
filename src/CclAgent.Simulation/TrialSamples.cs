using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation;

/// <summary>What a simulated trial produced: per-iteration samples in ms, or a failure.</summary>
public sealed record TrialSamples(Outcome Outcome, IReadOnlyList<double> IterationMs, IterationEstimate Truth);
