using System.Text.Json.Nodes;
using CclAgent.Testing;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// Baselines from a directory of earlier runs, and a definition and baselines kept beside the execution. By hand, with the
/// shipped healthy and slow-step runs as the earlier ones: parse took 2000 and 6000 ms, so p50 = 4000 and p95 = 2000 + 0.95 ×
/// 4000 = 5800 ms (linear interpolation); the slow run's 6000 ms parse is the one step above its p95 (fetch, index and
/// report took the same in both runs, and a step exactly at p95 is not above it).
/// </summary>
public sealed class WorkflowBaselineTests
{
    private static string Example(string name) => Path.Combine(RepoPaths.Root, "examples", "traces", name + ".json");

    [Fact]
    public void A_baseline_directory_of_earlier_runs_yields_each_steps_p95_from_those_runs()
    {
        string dir = Temp();
        try
        {
            File.Copy(Example("healthy"), Path.Combine(dir, "run-1.json"));
            File.Copy(Example("slow-step"), Path.Combine(dir, "run-2.json"));
            TraceReport r = TraceAnalyzer.Analyze([Example("slow-step")], "auto", dir);
            r.Bottlenecks.Should().Equal(new Bottleneck("parse", 6000, 5800, 1.034, "baseline_p95"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_definition_and_baselines_beside_the_execution_are_read_as_if_they_were_inside_it()
    {
        string dir = Temp();
        try
        {
            JsonNode run = JsonNode.Parse(File.ReadAllText(Example("slow-step")))!;
            File.WriteAllText(Path.Combine(dir, "definition.json"), run["definition"]!.ToJsonString());
            File.WriteAllText(Path.Combine(dir, "run.baselines.json"), run["baselines"]!.ToJsonString());
            run.AsObject().Remove("definition");
            run.AsObject().Remove("baselines");
            File.WriteAllText(Path.Combine(dir, "run.json"), run.ToJsonString());

            TraceReport beside = TraceAnalyzer.Analyze([dir], "auto", null);
            TraceReport inside = TraceAnalyzer.Analyze([Example("slow-step")], "auto", null);
            beside.Inputs.Should().ContainSingle().Which.Should().EndWith("run.json");
            beside.Bottlenecks.Should().Equal(inside.Bottlenecks).And.NotBeEmpty();
            beside.CriticalPath.Should().BeEquivalentTo(inside.CriticalPath);
            beside.Health.Should().BeEquivalentTo(inside.Health);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Temp()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"wf-baseline-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
