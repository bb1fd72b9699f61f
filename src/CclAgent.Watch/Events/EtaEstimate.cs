namespace CclAgent.Watch.Events;

/// <summary>Time to the end of the run: a point estimate and an interval, from the distribution of iteration times.</summary>
public sealed record EtaEstimate(double Seconds, double LowSeconds, double HighSeconds, long RemainingIterations, double SecondsPerIteration);
