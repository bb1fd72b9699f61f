using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Testing;

namespace CclAgent.Core.Tests.Workloads;

/// <summary>The real-run examples in workload/local/ stay valid and cover every launcher docs/running-real-jobs.md promises.</summary>
public sealed class LocalWorkloadTests
{
    public static TheoryData<string> Files => [.. Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "local"), "*.json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_local_example_loads_without_problems_and_has_a_command(string file)
    {
        LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(Path.Combine(RepoPaths.Root, "workload", "local", file), CancellationToken.None);

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.NotEmpty(result.Value!.Command!);
    }

    [Fact]
    public async Task The_local_examples_cover_mpirun_srun_sbatch_and_torchrun()
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "local"), "*.json"))
        {
            LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(file, CancellationToken.None);
            kinds.Add(result.Value!.Launcher!.Kind);
        }

        Assert.Superset(new HashSet<string>(["mpirun", "srun", "sbatch", "torchrun"], StringComparer.Ordinal), kinds);
    }

    [Theory]
    [InlineData("""{"kind": "pdsh"}""", "$.launcher.kind")]
    [InlineData("""{"kind": "torchrun"}""", "$.launcher.nproc_per_node")]
    [InlineData("""{"kind": "mpirun"}""", "$.launcher.np")]
    [InlineData("""{"kind": "srun", "time_limit": "an hour"}""", "$.launcher.time_limit")]
    [InlineData("""{"kind": "torchrun", "nproc_per_node": 8, "rdzv_endpoint": "node1"}""", "$.launcher.rdzv_endpoint")]
    [InlineData("""{"kind": "mpirun", "np": 0}""", "$.launcher.np")]
    [InlineData("""{"kind": "srun", "extra_args": [""]}""", "$.launcher.extra_args[0]")]
    public async Task A_bad_launcher_is_reported_at_its_json_path(string launcher, string path)
    {
        string text = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload", "local", "mpirun-sim-nccl-tests.json"));
        string json = text.Replace("\"launcher\": { \"kind\": \"mpirun\", \"np\": 4, \"oversubscribe\": true }", "\"launcher\": " + launcher, StringComparison.Ordinal);
        string temp = Path.Combine(Path.GetTempPath(), $"ccl-launcher-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(temp, json);
        try
        {
            LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(temp, CancellationToken.None);

            Assert.Contains(result.Problems, p => p.JsonPath == path);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [Theory]
    [InlineData("""{"iteration_regex": "took ([0-9.]+) ms"}""", "$.metrics.iteration_regex")]
    [InlineData("""{"iteration_regex": "took (?<ms>[0-9.]+ ms"}""", "$.metrics.iteration_regex")]
    public async Task A_bad_iteration_regex_is_reported_before_anything_runs(string metrics, string path)
    {
        string text = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload", "local", "mpirun-sim-nccl-tests.json"));
        string json = text.Replace("\"tuning\":", "\"metrics\": " + metrics + ",\n  \"tuning\":", StringComparison.Ordinal);
        string temp = Path.Combine(Path.GetTempPath(), $"ccl-metrics-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(temp, json);
        try
        {
            LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(temp, CancellationToken.None);

            Assert.Contains(result.Problems, p => p.JsonPath == path);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
