using CclAgent.Nccl.Tuner;
using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation;

/// <summary>Per-collective call durations (µs) one in-job measurement saw, or the failure; with the noise-free truth.</summary>
public sealed record CollectiveSamples(Outcome Outcome, IReadOnlyDictionary<TunerKey, double[]> CallUs, IterationEstimate Truth);
