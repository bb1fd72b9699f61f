using CclAgent.Core.Workloads;

namespace CclAgent.Simulation.Calibration;

/// <summary>
/// The simulator inputs for one published nccl-tests row (bench/calibration/calibration_clusters.json):
/// the hardware as the row's source describes it, the collective, and the NCCL env the run used.
/// </summary>
public sealed record CalibrationCase
{
    /// <summary>The CSV row id this case maps.</summary>
    public string? Id { get; init; }

    public ClusterSpec? Cluster { get; init; }

    /// <summary>op, bytes, nodes and ranks_per_node of the measured call.</summary>
    public CollectiveSpec? Collective { get; init; }

    /// <summary>NCCL env the published run set (NCCL_ALGO, NCCL_P2P_LEVEL, ...); empty means NCCL defaults.</summary>
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    /// <summary>Why the row is not a healthy-platform target (its own source says degraded/misconfigured); null to check it.</summary>
    public string? Exclude { get; init; }

    /// <summary>
    /// The algorithm NCCL chose by default as the row's source shows it (NCCL_DEBUG line or the page's own
    /// statement), e.g. "NVLS" or "Ring"; null where the source does not show it. Validation only.
    /// </summary>
    public string? PublishedAlgorithm { get; init; }

    /// <summary>How ambiguous hardware facts were mapped (kept in the JSON so the mapping can be reviewed).</summary>
    public string? Notes { get; init; }
}
