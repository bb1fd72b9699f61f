using CclAgent.Testing;
using System.Text.Json;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Tests.Support;

namespace CclAgent.Llm.Tests.Calls;

/// <summary>The OpenAI SDK's chat client (through Microsoft.Extensions.AI.OpenAI) against a loopback /v1/chat/completions.</summary>
public sealed class OpenAISessionTests
{
    private const string Key = "sk-test-PLANTED-7f3a9c0e";
    private const string Good = "{\"answer\":\"tree\",\"items\":[\"NCCL_ALGO=Tree\"]}";
    private static readonly Dictionary<string, string> Environment = new() { ["CCL_AGENT_API_KEY"] = Key };

    [Fact]
    public async Task Good_reply_is_accepted_and_the_key_is_sent_but_never_written()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OpenAIAsync(res, Good, ct));
        using var harness = new SessionHarness(LlmProvider.OpenAI, server.BaseUrl + "/v1", environment: Environment);

        var result = await harness.AskAsync();

        Assert.Equal("accepted", result.Outcome);
        Assert.Equal("tree", result.Value!.Answer);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + Key, request.Authorization);
        using (JsonDocument body = request.Json())
        {
            Assert.Equal("json_schema", body.RootElement.GetProperty("response_format").GetProperty("type").GetString());
        }

        string pack = harness.Pack();
        Assert.DoesNotContain(Key, pack);
        Assert.Contains("\"api_key_source\": \"CCL_AGENT_API_KEY\"", pack);
        using JsonDocument doc = JsonDocument.Parse(pack);
        Assert.Equal(210, doc.RootElement.GetProperty("input_tokens").GetInt64());
        Assert.Equal(30, doc.RootElement.GetProperty("output_tokens").GetInt64());
    }

    [Fact]
    public async Task Invalid_json_twice_is_discarded()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OpenAIAsync(res, "```json\n{\"answer\":\"tree\"\n```", ct));
        using var harness = new SessionHarness(LlmProvider.OpenAI, server.BaseUrl + "/v1", environment: Environment);

        var result = await harness.AskAsync();

        Assert.Equal("discarded", result.Outcome);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("invalid_json", harness.Pack());
    }

    [Fact]
    public async Task Schema_violation_is_repaired_once()
    {
        int calls = 0;
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OpenAIAsync(res, Interlocked.Increment(ref calls) == 1 ? "{\"answer\":7,\"items\":[]}" : Good, ct));
        using var harness = new SessionHarness(LlmProvider.OpenAI, server.BaseUrl + "/v1", environment: Environment);

        var result = await harness.AskAsync();

        Assert.Equal("accepted", result.Outcome);
        Assert.Contains("schema_violation", harness.Pack());
    }

    [Fact]
    public async Task Http_500_is_retried_then_reported_and_later_asks_are_skipped()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.ErrorAsync(res, 500, ct));
        using var harness = new SessionHarness(LlmProvider.OpenAI, server.BaseUrl + "/v1", retries: 1, environment: Environment);

        var first = await harness.AskAsync();
        var second = await harness.AskAsync();

        Assert.Equal("error", first.Outcome);
        Assert.Equal("skipped", second.Outcome);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("http_500", harness.Pack());
        Assert.DoesNotContain(Key, harness.Pack());
    }

    [Fact]
    public async Task Slow_reply_past_the_timeout_is_a_timeout()
    {
        using var server = new LoopbackServer(async (req, res, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            await ChatProtocols.OpenAIAsync(res, Good, ct);
        });
        using var harness = new SessionHarness(LlmProvider.OpenAI, server.BaseUrl + "/v1", timeoutSeconds: 0.5, environment: Environment);

        var result = await harness.AskAsync();

        Assert.Equal("error", result.Outcome);
        Assert.Contains("\"timeout\"", harness.Pack());
        Assert.Single(harness.Warnings);
    }

    [Fact]
    public async Task Connection_refused_is_an_error_not_a_crash()
    {
        using var harness = new SessionHarness(LlmProvider.OpenAI, $"http://127.0.0.1:{LoopbackServer.ClosedPort()}/v1", retries: 0, environment: Environment);

        var result = await harness.AskAsync();

        Assert.Equal("error", result.Outcome);
        Assert.False(harness.Session.Used);
        Assert.Single(harness.Warnings);
    }
}
