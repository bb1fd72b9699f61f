using CclAgent.Core.Json;
using CclAgent.Core.Workloads;

namespace CclAgent.Simulation.Tests;

/// <summary>Finds files in the checkout: tests run from bin/, so walk up to the solution file.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string PublishedCsv => Path.Combine(Root, "bench", "calibration", "published_nccl_tests.csv");

    public static string ClustersJson => Path.Combine(Root, "bench", "calibration", "calibration_clusters.json");

    public static IReadOnlyList<string> SimWorkloads =>
        Directory.GetFiles(Path.Combine(Root, "workload", "sim"), "*.json").Order(StringComparer.Ordinal).ToList();

    public static WorkloadSpec LoadWorkload(string path) =>
        System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(path), CoreJsonContext.Default.WorkloadSpec)
        ?? throw new InvalidDataException(path);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CclAgent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CclAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
