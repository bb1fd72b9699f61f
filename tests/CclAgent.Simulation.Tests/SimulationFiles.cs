using CclAgent.Core.Json;
using CclAgent.Core.Workloads;
using CclAgent.Testing;

namespace CclAgent.Simulation.Tests;

/// <summary>Calibration data and shipped workloads in the checkout (found from <see cref="RepoPaths.Root"/>).</summary>
internal static class SimulationFiles
{
    public static string PublishedCsv => Path.Combine(RepoPaths.Root, "bench", "calibration", "published_nccl_tests.csv");

    public static string ClustersJson => Path.Combine(RepoPaths.Root, "bench", "calibration", "calibration_clusters.json");

    /// <summary>The held-out half: never used to fit a constant (bench/calibration/README.md).</summary>
    public static string ValidationCsv => Path.Combine(RepoPaths.Root, "bench", "calibration", "validation_nccl_tests.csv");

    public static string ValidationClustersJson => Path.Combine(RepoPaths.Root, "bench", "calibration", "validation_clusters.json");

    public static IReadOnlyList<string> SimWorkloads =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "sim"), "*.json").Order(StringComparer.Ordinal).ToList();

    public static WorkloadSpec LoadWorkload(string path) =>
        System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(path), CoreJsonContext.Default.WorkloadSpec)
        ?? throw new InvalidDataException(path);
}
