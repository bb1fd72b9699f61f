namespace CclAgent.Bench;

/// <summary>What `ccl-agent bench` was asked to do.</summary>
public sealed record BenchOptions(IReadOnlyList<string> Strategies, int Seeds, int Budget, string OutDirectory, double? MaxSeconds, string Command);
