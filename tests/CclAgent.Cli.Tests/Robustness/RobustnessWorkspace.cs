using System.Text.Json.Nodes;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>A temp directory with its own artifacts root and memory file, and real-mode workloads written into it.</summary>
internal sealed class RobustnessWorkspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("ccl-robust-").FullName;

    public string Memory => Path.Combine(Root, "m.db");

    public string Artifacts => Path.Combine(Root, "art");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public Task<(int ExitCode, string Stdout, string Stderr)> TuneAsync(string workload, params string[] extra) =>
        CliRunner.RunAsync(["tune", "--workload", workload, "--provider", "none", "--quiet", "--artifacts-root", Artifacts, "--memory", Memory, .. extra]);

    public IReadOnlyList<string> RunDirectories() => Directory.Exists(Artifacts) ? Directory.GetDirectories(Artifacts) : [];

    /// <summary>
    /// The mpirun example's cluster and collectives run as one process: <paramref name="script"/> (sh) is the job,
    /// and the microbenchmark is the simulator's nccl-tests stand-in, kept to a few runs.
    /// </summary>
    public async Task<string> WriteShellWorkloadAsync(string name, string script, int budget = 3, JsonObject? metrics = null)
    {
        string scriptPath = Path.Combine(Root, name + ".sh");
        await File.WriteAllTextAsync(scriptPath, script);
        JsonObject workload = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "workload/local/mpirun-sim-nccl-tests.json")))!.AsObject();
        workload.Remove("launcher");
        workload["command"] = new JsonArray("/bin/sh", scriptPath);
        workload["microbenchmark"] = new JsonObject
        {
            ["command"] = new JsonArray("ccl-agent", "sim", "nccl-tests", "--op", "{op}", "-g", "4", "--workload", "{workload_file}"),
            ["max_runs"] = 4,
        };
        workload["tuning"] = new JsonObject { ["budget"] = budget, ["warmup_iterations"] = 0, ["plateau_steps"] = 10, ["step_timeout_seconds"] = 60 };
        if (metrics is not null)
        {
            workload["metrics"] = metrics;
        }

        string path = Path.Combine(Root, name + ".json");
        await File.WriteAllTextAsync(path, workload.ToJsonString());
        return path;
    }
}
