using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// A per-layer collective list (hundreds of entries, a few shapes) is planned for what its shapes cost: identical
/// entries are measured once and weighted by their count. The timing claim itself (5,000 entries) is a benchmark,
/// bench/planning-scale.sh; here only a generous hang guard.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PlanningScaleTests : IDisposable
{
    private readonly TempDirectory _temp = new("ccl-scale-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Three_hundred_per_layer_collectives_of_two_shapes_are_planned_as_two_weighted_collectives()
    {
        JsonObject workload = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload/sim/h100-2x8-ib400-fsdp.json")))!.AsObject();
        JsonArray shapes = workload["iteration"]!["collectives"]!.AsArray();
        var collectives = new JsonArray();
        for (int i = 0; i < 300; i++)
        {
            JsonObject entry = shapes[i % shapes.Count]!.DeepClone().AsObject();
            entry["name"] = $"layer_{i}";
            entry["count"] = 1;
            collectives.Add(entry);
        }

        workload["iteration"]!["collectives"] = collectives;
        string file = _temp.Write("layers.json", workload.ToJsonString());
        string artifacts = _temp.Combine("art");

        (int code, _, string stderr) = await CliProcess.RunAsync("tune", "--workload", file, "--dry-run", "--max-steps", "2", "--provider", "none", "--quiet", "--json",
            "--artifacts-root", artifacts, "--memory", _temp.File("m.db"));

        code.Should().Be(0, stderr);
        string run = Directory.GetDirectories(artifacts).Single();
        JsonArray profiles = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "offline", "microbenchmark.json")))!["collectives"]!.AsArray();
        profiles.Should().HaveCount(2, "300 entries of two shapes are two communication patterns");
        profiles.Sum(p => p!["count"]!.GetValue<int>()).Should().Be(300);
        profiles[0]!["name"]!.GetValue<string>().Should().Be("layer_0", "a group keeps its first entry's name");
    }
}
