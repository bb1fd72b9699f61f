using System.Text.Json;
using CclAgent.Llm.Agents;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Tests.Support;
using CclAgent.Testing;

namespace CclAgent.Llm.Tests.Agents;

/// <summary>What each round leaves in the run's llm/ folder, and the Anthropic credential and base-URL variants.</summary>
public sealed class AgentPromptPackTests
{
    private static LoopbackServer TwoTools(ChatProtocol protocol) => ScriptedToolModel.Script(
        protocol,
        ScriptedStep.Call(AgentHarness.Exposed("fetch_service_logs"), """{"window":"15m"}"""),
        ScriptedStep.Call(AgentHarness.Exposed("fetch_config")),
        ScriptedStep.Answer("""{"category":"engine_startup_hang"}"""));

    private static JsonDocument Pack(AgentHarness harness, int round) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(harness.LlmDirectory, $"agent_round_{round:D2}.json")));

    [Theory]
    [InlineData(ChatProtocol.Ollama, "ollama")]
    [InlineData(ChatProtocol.OpenAI, "openai")]
    [InlineData(ChatProtocol.Anthropic, "anthropic")]
    public async Task Each_round_pack_records_the_conversation_sent_and_the_reply(ChatProtocol protocol, string provider)
    {
        using LoopbackServer server = TwoTools(protocol);
        using var harness = new AgentHarness(protocol, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        result.RoundLog.Select(r => r.PackFile).Should().Equal("llm/agent_round_01.json", "llm/agent_round_02.json", "llm/agent_round_03.json");
        using JsonDocument second = Pack(harness, 2);
        JsonElement root = second.RootElement;
        root.GetProperty("purpose").GetString().Should().Be("incident");
        root.GetProperty("phase").GetString().Should().Be("agent");
        root.GetProperty("step").GetInt32().Should().Be(2);
        root.GetProperty("provider").GetString().Should().Be(provider);
        root.GetProperty("outcome").GetString().Should().Be("tool_calls");
        root.GetProperty("request_options").GetProperty("response_format").GetString().Should().Be("tools");
        string[] roles = root.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()!).ToArray();
        roles.Should().StartWith(["system", "user", "assistant"]);
        string sent = string.Join("\n", root.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        sent.Should().Contain("tool_call tools_fetch_service_logs(").And.Contain("tool_result [").And.Contain("Waiting for 1 local, 0 remote core engine proc(s) to start.");
        root.GetProperty("turns")[0].GetProperty("response").GetString().Should().StartWith("tool_call tools_fetch_config(");

        using JsonDocument third = Pack(harness, 3);
        third.RootElement.GetProperty("outcome").GetString().Should().Be("final");
        third.RootElement.GetProperty("turns")[0].GetProperty("response").GetString().Should().Be("""{"category":"engine_startup_hang"}""");
    }

    [Fact]
    public async Task Packs_name_the_credential_variable_never_its_value()
    {
        using LoopbackServer server = TwoTools(ChatProtocol.Anthropic);
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl);

        await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        using JsonDocument first = Pack(harness, 1);
        first.RootElement.GetProperty("request_options").GetProperty("api_key_source").GetString().Should().Be(LlmSettingsResolver.AnthropicTokenVariable);
        harness.AllPackText().Should().NotContain(AgentHarness.Key).And.NotContain(AgentHarness.LogCanary);
    }

    [Fact]
    public async Task Failed_round_still_writes_a_pack_with_the_error_and_no_secret()
    {
        using LoopbackServer server = ScriptedToolModel.Http500();
        using var harness = new AgentHarness(ChatProtocol.OpenAI, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.ModelError);
        using JsonDocument pack = Pack(harness, 1);
        pack.RootElement.GetProperty("outcome").GetString().Should().Be("error");
        pack.RootElement.GetProperty("outcome_reason").GetString().Should().Contain("500");
        harness.AllPackText().Should().NotContain(AgentHarness.Key);
    }

    [Fact]
    public async Task No_llm_folder_means_no_packs_and_the_run_still_completes()
    {
        using LoopbackServer server = TwoTools(ChatProtocol.OpenAI);
        using var harness = new AgentHarness(ChatProtocol.OpenAI, server.BaseUrl);
        var agent = new ToolCallingAgent(harness.Connection, TimeProvider.System, null);

        AgentRunResult result = await agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Completed);
        harness.Packs().Should().BeEmpty();
    }

    [Fact]
    public async Task Anthropic_api_key_alone_authenticates_and_goes_out_as_the_sdk_sends_it()
    {
        using LoopbackServer server = TwoTools(ChatProtocol.Anthropic);
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl, anthropicKeyVariable: LlmSettingsResolver.AnthropicKeyVariable);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        // Anthropic SDK 13.15.0 documents both ClientOptions.ApiKey and AuthToken as "sent as Authorization: Bearer".
        result.Stop.Should().Be(AgentStopReason.Completed);
        server.Requests.First().Authorization.Should().Be("Bearer " + AgentHarness.Key);
        harness.AllPackText().Should().NotContain(AgentHarness.Key);
    }

    [Fact]
    public async Task Anthropic_base_url_written_with_a_trailing_v1_is_not_doubled()
    {
        using LoopbackServer server = TwoTools(ChatProtocol.Anthropic);
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl + "/v1");

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool(), harness.ConfigTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Completed);
        server.Requests.Should().OnlyContain(r => r.Path == "/v1/messages");
    }
}
