using System.Globalization;
using System.Text.Json.Nodes;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Tuning.Tests;

public sealed class HazardHandlingTests : IDisposable
{
    private const string L40s = "l40s-1x8-pcie-ddp";
    private readonly TempDir _temp = new();
    private readonly FakeTimeProvider _time = TuningHarness.NewTime();

    public void Dispose() => _temp.Dispose();

    /// <summary>Copies a shipped spec into the temp dir with gpu_memory_headroom_gib replaced.</summary>
    internal static async Task<string> WithHeadroomAsync(string tempRoot, string workload, double headroomGib)
    {
        JsonNode root = JsonNode.Parse(await File.ReadAllTextAsync(TuningHarness.WorkloadPath(workload)))!;
        root["iteration"]!["gpu_memory_headroom_gib"] = headroomGib;
        string path = Path.Combine(tempRoot, $"{workload}-headroom-{headroomGib.ToString("0.#####", CultureInfo.InvariantCulture)}.json");
        await File.WriteAllTextAsync(path, root.ToJsonString());
        return path;
    }

    internal static async Task<double> DefaultBufferGibAsync(string workload)
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(workload);
        return new SimulatedCluster(spec, new SimulationOptions()).Hazards.BufferBytes(NcclConfig.Default) / (1024.0 * 1024 * 1024);
    }

    [Theory]
    [InlineData("h100-1x8-nvswitch-tp8", 1.1)]
    [InlineData("h100-1x8-nvswitch-tp8", 1.5)]
    [InlineData("h100-1x8-nvswitch-tp8", 2.2)]
    [InlineData("h100-1x8-nvswitch-tp8", 4)]
    [InlineData("l40s-1x8-pcie-ddp", 2.2)]
    [InlineData("h100-2x8-ib400-fsdp", 1.5)]
    [InlineData("h100-2x8-ib400-fsdp", 2.2)]
    public async Task Probe(string L40s, double factor)
    {
        double need = await DefaultBufferGibAsync(L40s);
        string path = await WithHeadroomAsync(_temp.Path, L40s, Math.Round(need * factor, 4));
        WorkloadSpec spec = await TuningHarness.LoadAsync(path);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);
        HarnessRun result = await TuningHarness.RunAsync(spec, path, _temp.Path, memory, _time, "run-hazard", budget: 10);
        var steps = await TuningEngineTests.ReadStepsAsync(result);
        string desc = string.Join(" | ", steps.OrderBy(s => s.Step).Select(s => $"{s.Step}:{s.Status}:{s.FailureClass}:{s.Decision?.Decision}:{string.Join(",", s.ConfigDelta.Select(kv => kv.Key + "=" + kv.Value))}"));
        Assert.Fail($"need {need:0.0000} factor {factor}: failure={result.Outcome.JobFailure} blocked={result.Outcome.Summary?.BlockedCandidates} avoid={memory.Stats().AvoidRules} :: {desc}");
    }
}
