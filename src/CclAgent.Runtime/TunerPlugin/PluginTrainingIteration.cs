using CclAgent.Simulation.Truth;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// One iteration of a simulated training job tuned by a plugin: its measured time (noise included) or the failure the
/// job would show, how many getCollInfo calls it made, and how many collectives ran with a plugin choice.
/// </summary>
public sealed record PluginTrainingIteration(Outcome Outcome, double IterationMs, int PluginCalls, int TunedCollectives);
