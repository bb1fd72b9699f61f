using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>A real-mode workload for a fake job (the real-run and robustness tests share it): the mpirun example's cluster and collectives, its microbenchmark run directly and small.</summary>
internal static class RealWorkload
{
    public static async Task<string> WriteAsync(string directory, string name, JsonObject overrides, int microbenchmarkRuns = 4)
    {
        JsonObject workload = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload/local/mpirun-sim-nccl-tests.json")))!.AsObject();
        workload.Remove("launcher");
        workload["microbenchmark"] = new JsonObject
        {
            ["command"] = new JsonArray("ccl-agent", "sim", "nccl-tests", "--op", "{op}", "-g", "4", "--workload", "{workload_file}"),
            ["max_runs"] = microbenchmarkRuns,
        };
        foreach ((string key, JsonNode? value) in overrides.ToList())
        {
            overrides.Remove(key);
            workload[key] = value;
        }

        string path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, workload.ToJsonString());
        return path;
    }
}
