using CclAgent.Incident.Agent;
using CclAgent.Incident.Modeling;
using EvalScenarios = CclAgent.Incident.Tests.IncidentEval.Scenarios;
using CclAgent.Testing;

namespace CclAgent.Incident.Tests.ModelPath;

/// <summary>Path "model" against loopback servers speaking the real Ollama, OpenAI and Anthropic tool-calling protocols.</summary>
public sealed class ModelPathTests : IDisposable
{
    private const string KvAnswer = """
        Here is my conclusion:
        ```json
        {"category": "kv_cache_exhaustion",
         "root_cause": "the KV cache is full, so vLLM preempts and recomputes sequence groups",
         "confidence": 0.8,
         "evidence": [{"source": "logs/service.log", "line": 3, "text": "Sequence group is preempted by PreemptionMode.RECOMPUTE"}],
         "fix_plan": {"actions": [{"kind": "config", "target": "config.gpu_memory_utilization", "value": 0.9, "rationale": "more KV cache"},
                                  {"kind": "config", "target": "runtime.max_num_seqs", "value": 192, "rationale": "less KV demand"}],
                      "expected_impact": "fewer preemptions"}}
        ```
        """;

    private readonly TempDirectory _temp = new("ccl-incident-model-");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<ChatProtocol> Protocols() => [ChatProtocol.Ollama, ChatProtocol.OpenAI, ChatProtocol.Anthropic];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_model_that_calls_tools_and_answers_gives_path_model_with_a_code_checked_validation(ChatProtocol protocol)
    {
        using var server = ScriptedToolModel.Script(protocol,
            ScriptedStep.Call(ModelHarness.Tool("fetch_service_logs"), """{"limit": 200}"""),
            ScriptedStep.Call(ModelHarness.Tool("fetch_prometheus_metrics")),
            ScriptedStep.Answer(KvAnswer));
        using var model = ModelHarness.Connect(protocol, server.BaseUrl);

        IncidentOutcome outcome = await ModelHarness.RunAsync("vllm-kv-cache-preemption", model, _temp.Combine("out"));

        AgentResult r = outcome.Result;
        outcome.Fallback.Should().BeNull();
        r.Path.Should().Be(AgentPath.Model);
        r.Rounds.Should().Be(3);
        r.Diagnosis.Category.Should().Be("kv_cache_exhaustion");
        r.AgentTrace.Select(e => e.Tool).Should().StartWith(["fetch_service_logs", "fetch_prometheus_metrics"])
            .And.Contain(["apply_fix_simulation", "collect_post_telemetry", "validate_improvement"]);
        r.AgentTrace[0].Round.Should().Be(1);
        r.Validation.Status.Should().Be(ValidationStatus.Improved);
        ToolProtocols.ToolsOffered(protocol, server.Requests.First()).Should().HaveCount(10);
    }

    [Fact]
    public async Task Secrets_in_logs_and_config_never_reach_the_model_the_packs_or_the_result()
    {
        using var server = ScriptedToolModel.Script(ChatProtocol.OpenAI,
            ScriptedStep.Call(ModelHarness.Tool("fetch_service_logs")),
            ScriptedStep.Call(ModelHarness.Tool("fetch_config")),
            ScriptedStep.Answer(KvAnswer));
        using var model = ModelHarness.Connect(ChatProtocol.OpenAI, server.BaseUrl);
        string outDir = _temp.Combine("canary");

        IncidentOutcome outcome = await ModelHarness.RunAsync("vllm-kv-cache-preemption", model, outDir);

        var texts = server.Requests.Select(r => r.Body)
            .Concat(Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Select(File.ReadAllText))
            .Append(IncidentAgent.ToJson(outcome.Result)).ToList();
        Directory.GetFiles(Path.Combine(outDir, "llm"), "agent_round_*.json").Should().NotBeEmpty();
        foreach (string piece in EvalScenarios.CanaryPieces)
        {
            texts.Should().NotContain(t => t.Contains(piece, StringComparison.Ordinal), $"'{piece}' is a planted secret");
        }
    }

    [Fact]
    public async Task A_reply_that_is_not_the_json_answer_falls_back_to_the_deterministic_planner_with_the_reason()
    {
        using var server = ScriptedToolModel.Script(ChatProtocol.Anthropic,
            ScriptedStep.Call(ModelHarness.Tool("fetch_system_logs")),
            ScriptedStep.Answer("The GPU looks broken, reboot it."));
        using var model = ModelHarness.Connect(ChatProtocol.Anthropic, server.BaseUrl);

        IncidentOutcome outcome = await ModelHarness.RunAsync("xid-79-fallen-off-bus", model, _temp.Combine("invalid"));

        outcome.Fallback.Should().StartWith("invalid_reply");
        outcome.Result.Path.Should().Be(AgentPath.Deterministic);
        outcome.Result.Diagnosis.Category.Should().Be("gpu_xid");
        outcome.Result.AgentTrace.Should().Contain(e => e.Tool == "model" && e.Error!["kind"]!.ToString() == "invalid_reply");
        outcome.Result.AgentTrace.Should().Contain(e => e.Tool == "fetch_system_logs" && e.Round == 1);
        outcome.Report.Should().Contain("fell back");
    }

    [Fact]
    public async Task A_category_outside_the_list_is_refused_and_the_deterministic_planner_answers()
    {
        using var server = ScriptedToolModel.Script(ChatProtocol.Ollama,
            ScriptedStep.Answer("""{"category": "cosmic_rays", "root_cause": "x", "fix_plan": {"actions": [{"kind": "node", "target": "gpu"}]}}"""));
        using var model = ModelHarness.Connect(ChatProtocol.Ollama, server.BaseUrl);

        IncidentOutcome outcome = await ModelHarness.RunAsync("cpu-soft-lockup", model, _temp.Combine("cat"));

        outcome.Fallback.Should().Contain("$.category");
        outcome.Result.Diagnosis.Category.Should().Be("cpu_soft_lockup");
    }

    [Fact]
    public async Task An_unreachable_model_server_falls_back_with_model_error()
    {
        using var server = ScriptedToolModel.Http500();
        using var model = ModelHarness.Connect(ChatProtocol.OpenAI, server.BaseUrl);

        IncidentOutcome outcome = await ModelHarness.RunAsync("host-oom-killer", model, _temp.Combine("500"));

        outcome.Fallback.Should().StartWith("model_error");
        outcome.Result.Path.Should().Be(AgentPath.Deterministic);
        outcome.Result.Diagnosis.Category.Should().Be("host_oom");
        outcome.Result.Validation.Status.Should().Be(ValidationStatus.NotImproved);
    }

    [Fact]
    public async Task A_model_that_never_stops_calling_tools_is_capped_and_the_fallback_is_validated_unknown()
    {
        using var server = ScriptedToolModel.Endless(ChatProtocol.OpenAI, ModelHarness.Tool("fetch_service_logs"));
        using var model = ModelHarness.Connect(ChatProtocol.OpenAI, server.BaseUrl);

        IncidentOutcome outcome = await ModelHarness.RunAsync("vllm-kv-cache-preemption", model, _temp.Combine("cap"), maxRounds: 3);

        server.Requests.Should().HaveCount(3);
        outcome.Fallback.Should().StartWith("round_cap");
        outcome.Result.Validation.Status.Should().Be(ValidationStatus.Unknown);
        outcome.Result.Diagnosis.Category.Should().Be("kv_cache_exhaustion");
        outcome.Result.AgentTrace.Count(e => e.Tool == "fetch_service_logs").Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_model_fix_with_an_unknown_key_or_a_value_out_of_range_is_rejected_with_the_reason()
    {
        const string answer = """
            {"category": "kv_cache_exhaustion", "root_cause": "KV cache full", "confidence": 0.7, "evidence": [],
             "fix_plan": {"actions": [{"kind": "config", "target": "config.gpu_memory_utilization", "value": 1.7, "rationale": "all of it"},
                                      {"kind": "config", "target": "runtime.warp_speed", "value": 9, "rationale": "faster"}],
                          "expected_impact": "x"}}
            """;
        using var server = ScriptedToolModel.Script(ChatProtocol.OpenAI, ScriptedStep.Answer(answer));
        using var model = ModelHarness.Connect(ChatProtocol.OpenAI, server.BaseUrl);

        IncidentOutcome outcome = await ModelHarness.RunAsync("vllm-kv-cache-preemption", model, _temp.Combine("reject"));

        outcome.Result.Path.Should().Be(AgentPath.Model);
        string rejected = outcome.Result.FixResult!["rejected"]!.ToJsonString();
        rejected.Should().Contain("gpu_memory_utilization").And.Contain("warp_speed");
        outcome.Result.Validation.Status.Should().NotBe(ValidationStatus.Improved);
    }

    [Fact]
    public async Task A_model_that_never_answers_is_cut_at_the_timeout_and_the_fallback_is_validated_unknown()
    {
        using var server = new LoopbackServer(async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct), sequential: true);
        using var model = ModelHarness.Connect(ChatProtocol.OpenAI, server.BaseUrl);
        var options = new IncidentRunOptions { Model = model, OutDirectory = _temp.Combine("timeout"), Timeout = TimeSpan.FromSeconds(1) };

        IncidentOutcome outcome = await IncidentAgent.RunRecordedAsync(Path.Combine(EvalScenarios.Root, "vllm-kv-cache-preemption"), options, TimeProvider.System, CancellationToken.None);

        outcome.Fallback.Should().StartWith("timeout");
        outcome.Result.Path.Should().Be(AgentPath.Deterministic);
        outcome.Result.Diagnosis.Category.Should().Be("kv_cache_exhaustion");
        outcome.Result.Validation.Status.Should().Be(ValidationStatus.Unknown);
    }
}
