using CclAgent.Bench.Scenarios;
using CclAgent.Core.Validation;
using static CclAgent.Bench.Tests.BenchTestSupport;
using CclAgent.Testing;

namespace CclAgent.Bench.Tests;

public sealed class ScenarioLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_missing_file_is_reported_as_a_problem_without_throwing()
    {
        string missing = Path.Combine(_temp.Path, "nope.json");

        (IReadOnlyList<BenchScenario> scenarios, IReadOnlyList<InputProblem> problems) = await ScenarioLoader.LoadAsync([missing], CancellationToken.None);

        Assert.Empty(scenarios);
        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.File.Contains("nope.json", StringComparison.Ordinal) || p.Message.Contains("nope.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_spec_is_reported_as_a_problem_and_valid_ones_still_load()
    {
        string bad = Path.Combine(_temp.Path, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "name": "broken", "cluster": { "gpus_per_node": "eight" } }""");

        (IReadOnlyList<BenchScenario> scenarios, IReadOnlyList<InputProblem> problems) =
            await ScenarioLoader.LoadAsync([bad, ScenarioPath(L40s)], CancellationToken.None);

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Contains("bad.json", p.File, StringComparison.Ordinal));
        Assert.Equal(L40s, Assert.Single(scenarios).Name);
    }

    [Fact]
    public async Task Malformed_json_is_reported_as_a_problem_without_throwing()
    {
        string bad = Path.Combine(_temp.Path, "syntax.json");
        await File.WriteAllTextAsync(bad, "{ not json");

        (IReadOnlyList<BenchScenario> scenarios, IReadOnlyList<InputProblem> problems) = await ScenarioLoader.LoadAsync([bad], CancellationToken.None);

        Assert.Empty(scenarios);
        Assert.NotEmpty(problems);
    }

    [Fact]
    public async Task A_directory_loads_every_json_spec_in_name_order_named_by_file()
    {
        string dir = Path.Combine(_temp.Path, "specs");
        Directory.CreateDirectory(dir);
        File.Copy(ScenarioPath(L40s), Path.Combine(dir, "b-l40s.json"));
        File.Copy(ScenarioPath(H100), Path.Combine(dir, "a-h100.json"));
        await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "not a spec");

        (IReadOnlyList<BenchScenario> scenarios, IReadOnlyList<InputProblem> problems) = await ScenarioLoader.LoadAsync([dir], CancellationToken.None);

        Assert.Empty(problems);
        Assert.Equal(["a-h100", "b-l40s"], scenarios.Select(s => s.Name));
    }

    [Fact]
    public async Task The_shipped_sim_directory_loads_every_spec()
    {
        string dir = Path.Combine(RepoPaths.Root, "workload", "sim");

        (IReadOnlyList<BenchScenario> scenarios, IReadOnlyList<InputProblem> problems) = await ScenarioLoader.LoadAsync([dir], CancellationToken.None);

        Assert.Empty(problems);
        Assert.Equal(Directory.GetFiles(dir, "*.json").Length, scenarios.Count);
    }

    [Fact]
    public async Task An_empty_directory_is_a_problem_not_an_empty_benchmark()
    {
        string dir = Path.Combine(_temp.Path, "empty");
        Directory.CreateDirectory(dir);

        (IReadOnlyList<BenchScenario> scenarios, IReadOnlyList<InputProblem> problems) = await ScenarioLoader.LoadAsync([dir], CancellationToken.None);

        Assert.Empty(scenarios);
        Assert.Single(problems);
    }
}
