using CclAgent.Watch.Records;

namespace CclAgent.Watch.Events;

/// <summary>The best value of the tracked metric so far, and where it happened.</summary>
public sealed record BestMetric(string Name, double Value, MetricDirection Direction, long Line, long? Step, double? Epoch);
