namespace CclAgent.Simulation.Calibration;

/// <summary>One row of bench/calibration/published_nccl_tests.csv (out-of-place columns of a real nccl-tests run).</summary>
public sealed record PublishedRow(
    string Id,
    string Source,
    string Gpu,
    int Nodes,
    int GpusPerNode,
    string Collective,
    long SizeBytes,
    double TimeUs,
    double BusBwGbps,
    string Notes);
