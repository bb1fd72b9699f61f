using System.Text.Json.Nodes;
using CclAgent.Llm.Agents;
using CclAgent.Llm.Tests.Support;
using CclAgent.Testing;

namespace CclAgent.Llm.Tests.Agents;

/// <summary>
/// The runner against loopback servers speaking each provider's real tool-calling protocol through the provider's
/// real client: round 1 calls fetch_service_logs, round 2 calls fetch_config, round 3 answers with JSON.
/// </summary>
public sealed class ToolCallingAgentProtocolTests
{
    private const string Final = """{"category":"engine_startup_hang","root_cause":"the engine core process never came up"}""";

    public static TheoryData<ChatProtocol> Protocols => [ChatProtocol.Ollama, ChatProtocol.OpenAI, ChatProtocol.Anthropic];

    private static LoopbackServer ThreeRounds(ChatProtocol protocol) => ScriptedToolModel.Script(
        protocol,
        ScriptedStep.Call(AgentHarness.Exposed("fetch_service_logs"), """{"window":"15m","limit":200}"""),
        ScriptedStep.Call(AgentHarness.Exposed("fetch_config")),
        ScriptedStep.Answer(Final));

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Runner_executes_both_tools_and_returns_the_final_text_in_three_rounds(ChatProtocol protocol)
    {
        using LoopbackServer server = ThreeRounds(protocol);
        using var harness = new AgentHarness(protocol, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Completed);
        result.FinalText.Should().Be(Final);
        result.Rounds.Should().Be(3);
        result.HitLimit.Should().BeFalse();
        result.ToolCalls.Select(c => (c.Round, c.Name, c.Status)).Should().Equal(
            (1, "fetch_service_logs", AgentToolStatus.Success),
            (2, "fetch_config", AgentToolStatus.Success));
        result.ToolCalls[0].Arguments["window"]!.GetValue<string>().Should().Be("15m");
        result.ToolCalls[0].Arguments["limit"]!.GetValue<int>().Should().Be(200);
        harness.Calls.Should().Equal(new Dictionary<string, int> { ["fetch_service_logs"] = 1, ["fetch_config"] = 1 });
        server.Requests.Should().HaveCount(3);
        server.Requests.Should().OnlyContain(r => r.Path == ToolProtocols.Path(protocol));
        ToolProtocols.ToolsOffered(protocol, server.Requests.First()).Should().BeEquivalentTo(AgentHarness.Exposed("fetch_service_logs"), AgentHarness.Exposed("fetch_config"));
        harness.Packs().Should().Equal("agent_round_01.json", "agent_round_02.json", "agent_round_03.json");
        result.RoundLog.Select(r => r.ToolCallsRequested).Should().Equal(1, 1, 0);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Tool_result_sent_back_is_what_the_tool_returned(ChatProtocol protocol)
    {
        using LoopbackServer server = ThreeRounds(protocol);
        using var harness = new AgentHarness(protocol, server.BaseUrl);

        await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        RecordedRequest[] requests = server.Requests.ToArray();
        string configReturned = harness.Returned[1];
        IReadOnlyList<string> sentInRound3 = ToolProtocols.ToolResultsSent(protocol, requests[2]);
        sentInRound3.Should().HaveCount(2);
        JsonNode.DeepEquals(Payload(protocol, sentInRound3[1]), JsonNode.Parse(configReturned)).Should().BeTrue($"sent {sentInRound3[1]}, returned {configReturned}");
        ToolProtocols.ToolResultsSent(protocol, requests[1]).Should().ContainSingle()
            .Which.Should().Contain("Waiting for 1 local, 0 remote core engine proc(s) to start.");
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Secrets_in_tool_results_and_the_api_key_never_reach_the_model_or_the_packs(ChatProtocol protocol)
    {
        using LoopbackServer server = ThreeRounds(protocol);
        using var harness = new AgentHarness(protocol, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        harness.Returned[0].Should().Contain(AgentHarness.LogCanary, "the tool itself returned the secret");
        server.Requests.Should().NotContain(r => r.Body.Contains(AgentHarness.LogCanary));
        string packs = harness.AllPackText();
        packs.Should().NotContain(AgentHarness.LogCanary).And.NotContain(AgentHarness.Key);
        result.ToolCalls.Should().NotContain(c => (c.Result ?? string.Empty).Contains(AgentHarness.LogCanary));
    }

    [Fact]
    public async Task Anthropic_requests_carry_the_token_as_bearer_and_an_anthropic_version()
    {
        using LoopbackServer server = ThreeRounds(ChatProtocol.Anthropic);
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl);

        await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        RecordedRequest first = server.Requests.First();
        first.Authorization.Should().Be("Bearer " + AgentHarness.Key);
        first.Header("anthropic-version").Should().NotBeNullOrEmpty();
        using var body = first.Json();
        body.RootElement.GetProperty("model").GetString().Should().Be("minimax-m2.1");
        body.RootElement.GetProperty("max_tokens").GetInt32().Should().BePositive();
        body.RootElement.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("properties").TryGetProperty("window", out _).Should().BeTrue();
    }

    // OllamaSharp sends a tool message's content as {"CallId":…,"Result":<the result>}; the others send the result itself.
    private static JsonNode? Payload(ChatProtocol protocol, string sent) =>
        protocol == ChatProtocol.Ollama ? JsonNode.Parse(sent)!["Result"] : JsonNode.Parse(sent);
}
