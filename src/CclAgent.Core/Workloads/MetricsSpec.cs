namespace CclAgent.Core.Workloads;

/// <summary>How per-iteration times are read from a real job's output (besides <c>CCL_METRICS</c> lines and nccl-tests tables).</summary>
public sealed record MetricsSpec
{
    /// <summary>A regex with a named group <c>ms</c>; each matching output line is one iteration.</summary>
    public string? IterationRegex { get; init; }
}
