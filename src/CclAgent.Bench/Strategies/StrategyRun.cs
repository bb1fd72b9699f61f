namespace CclAgent.Bench.Strategies;

/// <summary>Everything one strategy did on one scenario with one seed.</summary>
public sealed record StrategyRun(IReadOnlyList<TrialPoint> Trials, int MicrobenchmarkRuns, double ElapsedMs);
