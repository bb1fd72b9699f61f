using CclAgent.Core.Tests.Support;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Testing;

namespace CclAgent.Core.Tests.Workloads;

public sealed class WorkloadLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> ShippedWorkloads()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "sim"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private async Task<InputProblem> SingleProblemAsync(string json)
    {
        LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(_dir.Write("w.json", json), CancellationToken.None);
        Assert.Null(result.Value);
        return Assert.Single(result.Problems);
    }

    [Theory]
    [MemberData(nameof(ShippedWorkloads))]
    public async Task Every_shipped_sim_workload_loads_without_problems(string name)
    {
        string path = Path.Combine(RepoPaths.Root, "workload", "sim", name);

        LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(path, CancellationToken.None);

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
        Assert.Equal(Path.GetFileNameWithoutExtension(name), result.Value!.Name);
    }

    [Fact]
    public void There_are_shipped_sim_workloads_to_check()
    {
        Assert.True(ShippedWorkloads().Count >= 1);
    }

    [Fact]
    public async Task A_valid_file_loads_with_its_values()
    {
        LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(_dir.Write("w.json", SampleWorkloads.ValidJson), CancellationToken.None);

        Assert.True(result.IsValid);
        Assert.Equal("hopper", result.Value!.Cluster!.Generation);
    }

    [Fact]
    public async Task Missing_file_is_reported_not_thrown()
    {
        string path = _dir.File("nope.json");

        LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(path, CancellationToken.None);

        InputProblem problem = Assert.Single(result.Problems);
        Assert.Equal((path, "$"), (problem.File, problem.JsonPath));
    }

    [Fact]
    public async Task Malformed_json_stops_before_validation()
    {
        InputProblem problem = await SingleProblemAsync("""{"name": "x", """);

        Assert.StartsWith("malformed JSON", problem.Message);
    }

    [Fact]
    public async Task Unknown_field_is_reported_at_its_path()
    {
        InputProblem problem = await SingleProblemAsync("""{"name":"x","clusterr":{}}""");

        Assert.Equal("$.clusterr", problem.JsonPath);
        Assert.Contains("unknown field 'clusterr'", problem.Message);
    }

    [Fact]
    public async Task Wrong_type_is_reported_at_its_path()
    {
        InputProblem problem = await SingleProblemAsync(SampleWorkloads.ValidJson.Replace("\"nodes\": 2, \"gpus", "\"nodes\": \"four\", \"gpus", StringComparison.Ordinal));

        Assert.Equal("$.cluster.nodes", problem.JsonPath);
        Assert.Matches(@"^wrong type \(line \d+\); expected an integer$", problem.Message);
    }

    [Fact]
    public async Task Out_of_range_value_is_reported_at_its_path_with_the_range()
    {
        InputProblem problem = await SingleProblemAsync(SampleWorkloads.ValidJson.Replace("\"nic_gbps\": 400", "\"nic_gbps\": 0", StringComparison.Ordinal));

        Assert.Equal("$.cluster.network.nic_gbps", problem.JsonPath);
        Assert.Equal("0 is out of range; expected a number in [1, 3200]", problem.Message);
    }

    [Fact]
    public async Task Out_of_range_collective_names_its_index()
    {
        InputProblem problem = await SingleProblemAsync(SampleWorkloads.ValidJson.Replace("\"bytes\": 1048576,", "\"bytes\": 0,", StringComparison.Ordinal));

        Assert.Equal("$.iteration.collectives[1].bytes", problem.JsonPath);
        Assert.Contains("expected a number in [1, 1099511627776]", problem.Message);
    }

    [Fact]
    public async Task Omitted_optional_fields_keep_their_documented_defaults()
    {
        string json = """
            {
              "name": "defaults",
              "cluster": { "generation": "ampere", "nodes": 2, "gpus_per_node": 8, "intra_fabric": "pcie",
                           "network": { "kind": "roce", "nics_per_node": 1, "nic_gbps": 100 } },
              "model": { "name": "m" },
              "iteration": { "collectives": [ { "op": "all_reduce", "bytes": 1024 } ] }
            }
            """;

        LoadResult<WorkloadSpec> result = await WorkloadLoader.LoadAsync(_dir.Write("w.json", json), CancellationToken.None);

        Assert.Empty(result.Problems);
        WorkloadSpec spec = result.Value!;
        Assert.Equal("training", spec.Kind);
        Assert.Equal("intel", spec.Cluster!.CpuVendor);
        Assert.True(spec.Cluster.Network!.Gdr);
        Assert.Equal("PXB", spec.Cluster.Network.GpuNicPath);
        Assert.Equal("pytorch", spec.Model!.Framework);
        Assert.Equal(4, spec.Iteration!.GpuMemoryHeadroomGib);
        CollectiveSpec collective = Assert.Single(spec.Iteration.Collectives!);
        Assert.Equal((1, 1, 0.0), (collective.Count, collective.ConcurrentGroups, collective.Overlap));
    }
}
