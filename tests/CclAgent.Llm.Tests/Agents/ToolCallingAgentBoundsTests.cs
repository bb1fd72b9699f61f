using System.Text.Json.Nodes;
using CclAgent.Llm.Agents;
using CclAgent.Llm.Tests.Support;
using CclAgent.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Llm.Tests.Agents;

/// <summary>The runner's bounds and failure handling: round cap, wall-clock timeout, failing servers and tools, repeats, size cap.</summary>
public sealed class ToolCallingAgentBoundsTests
{
    public static TheoryData<ChatProtocol> Protocols => [ChatProtocol.Ollama, ChatProtocol.OpenAI, ChatProtocol.Anthropic];

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Model_that_never_stops_calling_tools_is_stopped_at_the_round_cap_without_throwing(ChatProtocol protocol)
    {
        using LoopbackServer server = ScriptedToolModel.Endless(protocol, AgentHarness.Exposed("fetch_service_logs"));
        using var harness = new AgentHarness(protocol, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()], maxRounds: 4), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.RoundCap);
        result.HitLimit.Should().BeTrue();
        result.FinalText.Should().BeNull();
        result.Rounds.Should().Be(4);
        server.Requests.Should().HaveCount(4);
        result.ToolCalls.Select(c => c.Round).Should().Equal(1, 2, 3, 4);
        harness.Packs().Should().HaveCount(4);
    }

    [Fact]
    public async Task The_default_cap_is_ten_rounds()
    {
        using LoopbackServer server = ScriptedToolModel.Endless(ChatProtocol.OpenAI, AgentHarness.Exposed("fetch_service_logs"));
        using var harness = new AgentHarness(ChatProtocol.OpenAI, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()]), CancellationToken.None);

        result.Rounds.Should().Be(AgentRequest.RoundLimit);
        server.Requests.Should().HaveCount(10);
    }

    [Fact]
    public async Task More_than_ten_rounds_is_refused_up_front()
    {
        using var harness = new AgentHarness(ChatProtocol.OpenAI, "http://127.0.0.1:1");

        Func<Task> run = () => harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()], maxRounds: 11), CancellationToken.None);

        await run.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Wall_clock_timeout_ends_the_run_with_a_timeout_stop_on_a_fake_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using LoopbackServer server = ScriptedToolModel.Endless(ChatProtocol.Anthropic, AgentHarness.Exposed("fetch_service_logs"));
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl, clock);

        // The tool "takes" 45 s of the 30 s budget: the clock moves while it runs, so the next request is never sent.
        AgentTool slow = harness.LogsTool(_ =>
        {
            clock.Advance(TimeSpan.FromSeconds(45));
            return new JsonObject { ["status"] = "success", ["lines"] = new JsonArray() };
        });
        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([slow], timeout: TimeSpan.FromSeconds(30)), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Timeout);
        result.HitLimit.Should().BeTrue();
        result.Rounds.Should().Be(1);
        server.Requests.Should().HaveCount(1);
        result.ToolCalls.Should().ContainSingle().Which.DurationMs.Should().Be(45_000);
    }

    [Fact]
    public async Task Timeout_while_the_model_never_answers_is_a_timeout_stop_with_the_round_recorded()
    {
        // The server holds the request until it is torn down, so only the run's timeout can end it.
        using var server = new LoopbackServer((request, response, ct) => Task.Delay(Timeout.Infinite, ct), sequential: true);
        using var harness = new AgentHarness(ChatProtocol.OpenAI, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()], timeout: TimeSpan.FromMilliseconds(300)), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Timeout);
        result.Rounds.Should().Be(1);
        result.ToolCalls.Should().BeEmpty();
        result.RoundLog.Should().ContainSingle().Which.Error.Should().StartWith("cancelled");
        harness.Packs().Should().Equal("agent_round_01.json");
        harness.AllPackText().Should().Contain("\"outcome\": \"error\"").And.NotContain(AgentHarness.Key);
    }

    [Fact]
    public async Task Call_to_a_tool_that_does_not_exist_runs_nothing_and_the_run_goes_on()
    {
        using LoopbackServer server = ScriptedToolModel.Script(
            ChatProtocol.Anthropic,
            ScriptedStep.Call("tools_delete_cluster", """{"name":"gpu-a"}"""),
            ScriptedStep.Answer("done"));
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Completed);
        result.FinalText.Should().Be("done");
        harness.Calls.Should().BeEmpty();
        AgentToolCall refused = result.ToolCalls.Should().ContainSingle().Subject;
        (refused.Round, refused.Name, refused.Status).Should().Be((1, "tools_delete_cluster", AgentToolStatus.Refused));
        refused.Error.Should().StartWith("unknown_tool");
        refused.Arguments["name"]!.GetValue<string>().Should().Be("gpu-a");
        ToolProtocols.ToolResultsSent(ChatProtocol.Anthropic, server.Requests.ToArray()[1]).Should().ContainSingle()
            .Which.Should().Contain("tools_delete_cluster");
    }

    [Fact]
    public async Task Caller_cancellation_is_not_a_timeout_and_raises()
    {
        using LoopbackServer server = ScriptedToolModel.Endless(ChatProtocol.OpenAI, AgentHarness.Exposed("fetch_service_logs"));
        using var harness = new AgentHarness(ChatProtocol.OpenAI, server.BaseUrl);
        using var cancel = new CancellationTokenSource();
        AgentTool cancelling = harness.LogsTool(_ =>
        {
            cancel.Cancel();
            return new JsonObject { ["status"] = "success" };
        });

        Func<Task> run = () => harness.Agent.RunAsync(AgentHarness.Request([cancelling]), cancel.Token);

        await run.Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Http_500_is_a_model_error_result_not_an_exception(ChatProtocol protocol)
    {
        using LoopbackServer server = ScriptedToolModel.Http500();
        using var harness = new AgentHarness(protocol, server.BaseUrl, retries: 1);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.ModelError);
        result.StopDetail.Should().Contain("500");
        result.Rounds.Should().Be(1);
        server.Requests.Should().HaveCount(2, "one retry of a transient 5xx");
        result.RoundLog.Should().ContainSingle().Which.Error.Should().Contain("500");
        harness.AllPackText().Should().Contain("http_500").And.NotContain(AgentHarness.Key);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Reply_that_is_not_json_is_a_model_error_result(ChatProtocol protocol)
    {
        using LoopbackServer server = ScriptedToolModel.InvalidJson();
        using var harness = new AgentHarness(protocol, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.ModelError);
        result.FinalText.Should().BeNull();
    }

    [Fact]
    public async Task Failure_after_a_tool_round_keeps_the_tool_calls_made_so_far()
    {
        using LoopbackServer server = ScriptedToolModel.FailAfterFirst(ChatProtocol.Anthropic, ScriptedStep.Call(AgentHarness.Exposed("fetch_config")));
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.ConfigTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.ModelError);
        result.Rounds.Should().Be(2);
        result.ToolCalls.Should().ContainSingle().Which.Name.Should().Be("fetch_config");
    }

    [Fact]
    public async Task Provider_none_returns_a_model_error_without_a_request()
    {
        var agent = new ToolCallingAgent(CclAgent.Llm.Clients.ModelConnection.None, TimeProvider.System, null);

        AgentRunResult result = await agent.RunAsync(AgentHarness.Request([]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.ModelError);
        result.Rounds.Should().Be(0);
    }

    [Fact]
    public async Task Identical_repeated_call_is_refused_with_a_structured_error_and_not_run()
    {
        string logs = AgentHarness.Exposed("fetch_service_logs");
        using LoopbackServer server = ScriptedToolModel.Script(
            ChatProtocol.OpenAI,
            ScriptedStep.Call(logs, """{"window":"15m"}"""),
            ScriptedStep.Call(logs, """{"window":"15m"}"""),
            ScriptedStep.Answer("{}"));
        using var harness = new AgentHarness(ChatProtocol.OpenAI, server.BaseUrl);

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([harness.LogsTool()]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Completed);
        harness.Calls["fetch_service_logs"].Should().Be(1);
        result.ToolCalls.Select(c => c.Status).Should().Equal(AgentToolStatus.Success, AgentToolStatus.Refused);
        string refusal = ToolProtocols.ToolResultsSent(ChatProtocol.OpenAI, server.Requests.ToArray()[2])[1];
        JsonNode.Parse(refusal)!["error"]!["kind"]!.GetValue<string>().Should().Be("repeated_call");
    }

    [Fact]
    public async Task Tool_that_throws_becomes_a_structured_error_and_the_run_goes_on()
    {
        using LoopbackServer server = ScriptedToolModel.Script(
            ChatProtocol.Ollama,
            ScriptedStep.Call(AgentHarness.Exposed("fetch_config")),
            ScriptedStep.Answer("""{"category":"unknown"}"""));
        using var harness = new AgentHarness(ChatProtocol.Ollama, server.BaseUrl);
        AgentTool broken = harness.ConfigTool(_ => throw new IOException("config.json: permission denied"));

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([broken]), CancellationToken.None);

        result.Stop.Should().Be(AgentStopReason.Completed);
        AgentToolCall call = result.ToolCalls.Should().ContainSingle().Subject;
        call.Status.Should().Be(AgentToolStatus.Error);
        call.Error.Should().Contain("permission denied");
        ToolProtocols.ToolResultsSent(ChatProtocol.Ollama, server.Requests.ToArray()[1]).Single().Should().Contain("\"kind\":\"exception\"");
    }

    [Fact]
    public async Task Tool_status_no_data_and_error_are_recorded_as_such()
    {
        using LoopbackServer server = ScriptedToolModel.Script(
            ChatProtocol.Anthropic,
            ScriptedStep.Call(AgentHarness.Exposed("fetch_config")),
            ScriptedStep.Call(AgentHarness.Exposed("fetch_service_logs"), """{"window":"1h"}"""),
            ScriptedStep.Answer("done"));
        using var harness = new AgentHarness(ChatProtocol.Anthropic, server.BaseUrl);
        AgentTool absent = harness.ConfigTool(_ => new JsonObject { ["status"] = "no_data" });
        AgentTool failing = harness.LogsTool(_ => new JsonObject { ["status"] = "error", ["error"] = new JsonObject { ["kind"] = "unreadable", ["message"] = "logs/service.log: not found" } });

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([absent, failing]), CancellationToken.None);

        result.ToolCalls.Select(c => c.Status).Should().Equal(AgentToolStatus.NoData, AgentToolStatus.Error);
        result.ToolCalls[1].Error.Should().Be("logs/service.log: not found");
    }

    [Fact]
    public async Task Oversized_tool_result_is_cut_and_marked_truncated()
    {
        using LoopbackServer server = ScriptedToolModel.Script(
            ChatProtocol.OpenAI,
            ScriptedStep.Call(AgentHarness.Exposed("fetch_service_logs"), """{"window":"1d"}"""),
            ScriptedStep.Answer("done"));
        using var harness = new AgentHarness(ChatProtocol.OpenAI, server.BaseUrl);
        AgentTool big = harness.LogsTool(_ => new JsonObject { ["status"] = "success", ["raw"] = new string('x', 5000) });

        AgentRunResult result = await harness.Agent.RunAsync(AgentHarness.Request([big]) with { MaxToolResultChars = 1000 }, CancellationToken.None);

        result.ToolCalls.Single().Truncated.Should().BeTrue();
        JsonNode sent = JsonNode.Parse(ToolProtocols.ToolResultsSent(ChatProtocol.OpenAI, server.Requests.ToArray()[1]).Single())!;
        sent["truncated"]!.GetValue<bool>().Should().BeTrue();
        sent["text"]!.GetValue<string>().Should().HaveLength(1000);
    }
}
