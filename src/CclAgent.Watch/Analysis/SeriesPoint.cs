namespace CclAgent.Watch.Analysis;

/// <summary>One value of a series at a training step and log line.</summary>
public readonly record struct SeriesPoint(double Step, double Value, long Line);
