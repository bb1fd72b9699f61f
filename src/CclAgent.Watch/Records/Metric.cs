namespace CclAgent.Watch.Records;

/// <summary>One named number from a log line (a sub-loss or an evaluation metric).</summary>
public readonly record struct Metric(string Name, double Value);
