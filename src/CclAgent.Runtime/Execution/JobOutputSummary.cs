namespace CclAgent.Runtime.Execution;

/// <summary>
/// What a job's output said, once it ended: per-iteration times (warm-up already dropped), named scalar
/// metrics, which source they came from, and the first line that shows an NCCL error or corrupted results.
/// </summary>
public sealed record JobOutputSummary(
    IReadOnlyList<double> IterationMs,
    IReadOnlyDictionary<string, double> Metrics,
    string? Source,
    string? NcclErrorLine,
    string? CorruptionLine,
    string? ImplausibleLine = null);
