using CclAgent.Testing;
using System.Text.Json;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Tests.Support;

namespace CclAgent.Llm.Tests.Calls;

/// <summary>OllamaSharp's real client against a loopback server speaking Ollama's /api/chat.</summary>
public sealed class OllamaSessionTests
{
    private const string Good = "{\"answer\":\"ring\",\"items\":[\"NCCL_ALGO=Ring\"]}";

    [Theory]
    [InlineData(false)] // one JSON object
    [InlineData(true)] // NDJSON stream, content split across lines
    public async Task Good_reply_is_parsed_validated_and_written_as_a_prompt_pack(bool streamed)
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, Good, streamed, ct));
        using var harness = new SessionHarness(LlmProvider.Ollama, server.BaseUrl, stream: streamed);

        var result = await harness.AskAsync();

        Assert.Equal("accepted", result.Outcome);
        Assert.Equal("ring", result.Value!.Answer);
        Assert.Equal("llm:call_0001", result.Evidence);
        Assert.True(harness.Session.Used);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/api/chat", request.Path);
        using (JsonDocument body = request.Json())
        {
            Assert.Equal("llama3.1", body.RootElement.GetProperty("model").GetString());
            Assert.Equal(streamed, body.RootElement.GetProperty("stream").GetBoolean());
            Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("format").ValueKind); // the JSON schema
        }

        using JsonDocument pack = JsonDocument.Parse(harness.Pack());
        JsonElement root = pack.RootElement;
        Assert.Equal("accepted", root.GetProperty("outcome").GetString());
        Assert.Equal(321, root.GetProperty("input_tokens").GetInt64());
        Assert.Equal(45, root.GetProperty("output_tokens").GetInt64());
        Assert.Equal("ok", root.GetProperty("turns")[0].GetProperty("parse").GetString());
        Assert.Equal(Good, root.GetProperty("turns")[0].GetProperty("response").GetString());
        Assert.Equal(["system", "user", "assistant"], root.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Contains(root.GetProperty("context_window").GetProperty("sections").EnumerateArray(), s => s.GetProperty("name").GetString() == "workload");
        Assert.Contains(harness.TraceLines(), l => l.Contains("\"type\":\"llm.call\"", StringComparison.Ordinal) && l.Contains("llm:call_0001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_json_gets_one_repair_turn_and_the_repaired_reply_is_accepted()
    {
        int calls = 0;
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, Interlocked.Increment(ref calls) == 1 ? "Sure! Here is the config: NCCL_ALGO=Ring" : Good, false, ct));
        using var harness = new SessionHarness(LlmProvider.Ollama, server.BaseUrl);

        var result = await harness.AskAsync();

        Assert.Equal("accepted", result.Outcome);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("Your reply was not usable", server.Requests.Last().AllMessages());
        using JsonDocument pack = JsonDocument.Parse(harness.Pack());
        JsonElement turns = pack.RootElement.GetProperty("turns");
        Assert.Equal("invalid_json", turns[0].GetProperty("parse").GetString());
        Assert.Equal("repair", turns[1].GetProperty("kind").GetString());
        Assert.Equal("ok", turns[1].GetProperty("parse").GetString());
    }

    [Fact]
    public async Task Schema_violation_twice_is_discarded_with_the_reason_in_the_pack()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, "{\"answer\":\"ring\",\"items\":[],\"extra\":1}", false, ct));
        using var harness = new SessionHarness(LlmProvider.Ollama, server.BaseUrl);

        var result = await harness.AskAsync();

        Assert.Equal("discarded", result.Outcome);
        Assert.Null(result.Value);
        Assert.Equal(2, server.Requests.Count); // the question and exactly one repair
        using JsonDocument pack = JsonDocument.Parse(harness.Pack());
        Assert.Equal("discarded", pack.RootElement.GetProperty("outcome").GetString());
        Assert.Contains("schema_violation", pack.RootElement.GetProperty("outcome_reason").GetString());
        Assert.Contains("extra", pack.RootElement.GetProperty("turns")[1].GetProperty("parse_error").GetString());
        Assert.Empty(harness.Warnings); // a bad reply is not an outage
    }

    [Fact]
    public async Task Missing_required_member_is_a_schema_violation()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, "{\"answer\":\"ring\"}", false, ct));
        using var harness = new SessionHarness(LlmProvider.Ollama, server.BaseUrl);

        var result = await harness.AskAsync();

        Assert.Equal("discarded", result.Outcome);
        Assert.Contains("items", harness.Pack());
    }

    [Fact]
    public async Task Rejected_proposals_are_repaired_once_then_the_rest_is_kept()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.OllamaAsync(res, "{\"answer\":\"x\",\"items\":[\"good one\",\"bad one\"]}", false, ct));
        using var harness = new SessionHarness(LlmProvider.Ollama, server.BaseUrl);

        var result = await harness.AskAsync();

        Assert.Equal("partially_accepted", result.Outcome);
        Assert.Equal(["good one"], result.Validation!.Accepted);
        Assert.Contains("bad one: not allowed", server.Requests.Last().AllMessages());
        Assert.Contains("bad one: not allowed", harness.Pack());
    }

    [Fact]
    public async Task Slow_reply_past_the_timeout_makes_the_model_unavailable_with_one_warning()
    {
        using var server = new LoopbackServer(async (req, res, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            await ChatProtocols.OllamaAsync(res, Good, false, ct);
        });
        using var harness = new SessionHarness(LlmProvider.Ollama, server.BaseUrl, timeoutSeconds: 0.5);

        var first = await harness.AskAsync();
        var second = await harness.AskAsync();

        Assert.Equal("error", first.Outcome);
        Assert.Equal("skipped", second.Outcome);
        Assert.Single(server.Requests); // timeouts are not retried, later asks are skipped
        Assert.Single(harness.Warnings);
        Assert.Contains("timeout", harness.Pack());
        Assert.False(harness.Session.Used);
        Assert.Single(harness.TraceLines(), l => l.Contains("\"type\":\"llm.error\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http_500_is_retried_a_bounded_number_of_times_then_reported()
    {
        using var server = new LoopbackServer((req, res, ct) => ChatProtocols.ErrorAsync(res, 500, ct));
        using var harness = new SessionHarness(LlmProvider.Ollama, server.BaseUrl, retries: 2);

        var result = await harness.AskAsync();

        Assert.Equal("error", result.Outcome);
        Assert.Equal(3, server.Requests.Count);
        Assert.Contains("http_500", harness.Pack());
        Assert.Single(harness.Warnings);
        Assert.NotNull(harness.Session.UnavailableReason);
    }

    [Fact]
    public async Task Connection_refused_is_reported_as_unreachable()
    {
        using var harness = new SessionHarness(LlmProvider.Ollama, $"http://127.0.0.1:{LoopbackServer.ClosedPort()}", retries: 1);

        var result = await harness.AskAsync();

        Assert.Equal("error", result.Outcome);
        Assert.Contains("\"unreachable\"", harness.Pack());
        Assert.Contains("unavailable", Assert.Single(harness.Warnings));
        Assert.Contains(harness.TraceLines(), l => l.Contains("\"type\":\"llm.error\"", StringComparison.Ordinal) && l.Contains("\"fallback\":\"deterministic\"", StringComparison.Ordinal));
    }
}
