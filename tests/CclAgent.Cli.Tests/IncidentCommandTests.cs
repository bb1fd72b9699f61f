using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>`ccl-agent incident` driven in-process: exit codes, one-line errors, the JSON result and the artifacts.</summary>
public sealed class IncidentCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("ccl-cli-incident-");

    public void Dispose() => _temp.Dispose();

    private static string Example(string name) => Path.Combine(RepoPaths.Root, "examples", "incidents", name);

    [Fact]
    public async Task A_recorded_scenario_exits_0_with_category_evidence_and_validation()
    {
        string outDir = _temp.Combine("out");
        var (code, stdout, stderr) = await InProcessCli.RunAsync("incident", "--scenario", Example("vllm-kv-cache-preemption"), "--provider", "none", "--json", "--out", outDir);

        code.Should().Be(0, stderr);
        stderr.Should().BeEmpty();
        JsonNode result = JsonNode.Parse(stdout)!;
        result["diagnosis"]!["category"]!.ToString().Should().Be("kv_cache_exhaustion");
        result["diagnosis"]!["evidence"]!.AsArray().Should().NotBeEmpty();
        result["validation"]!["status"]!.ToString().Should().Be("improved");
        result["path"]!.ToString().Should().Be("deterministic");
        result["rounds"]!.GetValue<int>().Should().BeLessThanOrEqualTo(10);
        File.Exists(Path.Combine(outDir, "result.json")).Should().BeTrue();
        File.Exists(Path.Combine(outDir, "report.md")).Should().BeTrue();
        File.ReadAllLines(Path.Combine(outDir, "trace", "events.jsonl")).Should().Contain(l => l.Contains("incident.tool.start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_scenario_file_exits_2_with_one_line_naming_file_and_path()
    {
        string dir = _temp.Combine("bad");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"config": {"gpu_memory_utilization": 0.9}, "runtime": {"max_num_seqs": [256]}}""");

        var (code, stdout, stderr) = await InProcessCli.RunAsync("incident", "--scenario", dir, "--out", _temp.Combine("o"));

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.TrimEnd('\n').Split('\n').Should().ContainSingle().Which.Should().Contain("config.json").And.Contain("$.runtime.max_num_seqs");
    }

    [Fact]
    public async Task A_missing_scenario_directory_exits_2_with_one_line()
    {
        var (code, _, stderr) = await InProcessCli.RunAsync("incident", "--scenario", _temp.Combine("nope"));

        code.Should().Be(2);
        stderr.TrimEnd('\n').Split('\n').Should().ContainSingle().Which.Should().Contain("not a directory");
    }

    [Fact]
    public async Task Max_rounds_outside_1_to_10_exits_2()
    {
        var (code, _, stderr) = await InProcessCli.RunAsync("incident", "--scenario", Example("xid-79-fallen-off-bus"), "--max-rounds", "11");

        code.Should().Be(2);
        stderr.Should().Contain("--max-rounds");
    }

    [Fact]
    public async Task At_the_round_cap_the_best_effort_result_has_validation_unknown()
    {
        var (code, stdout, stderr) = await InProcessCli.RunAsync("incident", "--scenario", Example("vllm-scheduler-overload-batch-limit"), "--max-rounds", "3", "--json", "--out", _temp.Combine("cap"));

        code.Should().Be(0, stderr);
        JsonNode result = JsonNode.Parse(stdout)!;
        result["rounds"]!.GetValue<int>().Should().Be(3);
        result["validation"]!["status"]!.ToString().Should().Be("unknown");
        result["diagnosis"]!["category"]!.ToString().Should().Be("scheduler_overload");
    }

    [Fact]
    public async Task An_unreachable_model_falls_back_to_the_deterministic_planner_with_one_stderr_line()
    {
        string endpoint = $"http://127.0.0.1:{LoopbackServer.ClosedPort()}";
        var (code, stdout, stderr) = await InProcessCli.RunAsync("incident", "--scenario", Example("cpu-soft-lockup"), "--provider", "ollama", "--llm-endpoint", endpoint, "--json", "--out", _temp.Combine("m"));

        code.Should().Be(0);
        stderr.TrimEnd('\n').Split('\n').Should().ContainSingle().Which.Should().StartWith("model path failed (model_error");
        JsonNode result = JsonNode.Parse(stdout)!;
        result["path"]!.ToString().Should().Be("deterministic");
        result["diagnosis"]!["category"]!.ToString().Should().Be("cpu_soft_lockup");
        result["agent_trace"]!.AsArray().Should().Contain(e => e!["tool"]!.ToString() == "model");
    }

    [Fact]
    public async Task A_loopback_model_that_calls_tools_gives_path_model()
    {
        const string answer = """{"category": "cpu_soft_lockup", "root_cause": "a CPU is stuck in the kernel", "confidence": 0.7, "evidence": [], "fix_plan": {"actions": [{"kind": "node", "target": "host", "rationale": "drain and reboot"}], "expected_impact": "node repaired"}}""";
        using var server = ScriptedToolModel.Script(ChatProtocol.OpenAI, ScriptedStep.Call("tools_fetch_system_logs"), ScriptedStep.Answer(answer));

        var (code, stdout, stderr) = await InProcessCli.RunAsync("incident", "--scenario", Example("cpu-soft-lockup"), "--provider", "openai", "--llm-endpoint", ToolProtocols.Endpoint(ChatProtocol.OpenAI, server.BaseUrl), "--json", "--out", _temp.Combine("model"));

        code.Should().Be(0, stderr);
        stderr.Should().BeEmpty();
        JsonNode result = JsonNode.Parse(stdout)!;
        result["path"]!.ToString().Should().Be("model");
        result["rounds"]!.GetValue<int>().Should().Be(2);
        result["validation"]!["status"]!.ToString().Should().Be("not_improved");
    }

    [Fact]
    public async Task Live_mode_reads_a_loopback_metrics_endpoint()
    {
        string metrics = File.ReadAllText(Path.Combine(Example("vllm-scheduler-overload-batch-limit"), "metrics.prom"));
        using var server = new LoopbackServer(async (_, response, ct) =>
        {
            response.StatusCode = (int)HttpStatusCode.OK;
            byte[] body = Encoding.UTF8.GetBytes(metrics);
            await response.OutputStream.WriteAsync(body, ct);
        });
        string config = Path.Combine(Example("vllm-scheduler-overload-batch-limit"), "config.json");

        var (code, stdout, stderr) = await InProcessCli.RunAsync("incident", "--live", "--metrics-url", server.BaseUrl + "/metrics", "--service-config", config, "--json", "--out", _temp.Combine("live"));

        code.Should().Be(0, stderr);
        JsonNode result = JsonNode.Parse(stdout)!;
        result["agent_trace"]!.AsArray().Should().Contain(e => e!["tool"]!.ToString() == "fetch_prometheus_metrics" && e["status"]!.ToString() == "success");
        server.Requests.Should().NotBeEmpty();
    }
}
