using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Core.Json;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Context;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Agents;

/// <summary>
/// The client under SK's function-invocation loop: every model request passes here, so this is where rounds are
/// counted and the cap is enforced whatever SK does (a request past the cap is answered locally with an empty
/// reply, which ends SK's loop), where the transport rules apply (per-attempt timeout, bounded retries), and where
/// each round's request and reply are written as a prompt pack (llm/agent_round_NN.json).
/// </summary>
internal sealed class RoundCountingChatClient(ModelConnection connection, AgentRunState state, TimeProvider time, string? llmDirectory, AgentRequest request, JsonElement toolsSchema)
    : IChatClient
{
    private const float Temperature = 0.2f;

    private readonly ChatTransport _transport = new(connection, time);

    private LlmSettings Settings => connection.Settings;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (state.Rounds >= state.MaxRounds)
        {
            state.CapHit = true;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Empty)) { FinishReason = ChatFinishReason.Length };
        }

        // A request the timeout has already cancelled is never sent, so it must not count as a round.
        cancellationToken.ThrowIfCancellationRequested();
        int round = ++state.Rounds;
        List<ChatMessage> sent = messages.ToList();
        ChatOptions effective = options?.Clone() ?? new ChatOptions();
        effective.ModelId ??= Settings.Model;
        effective.MaxOutputTokens ??= Settings.MaxOutputTokens;
        effective.Temperature ??= Temperature;

        DateTimeOffset started = time.GetUtcNow();
        long start = time.GetTimestamp();
        ChatTurnResult result;
        try
        {
            result = await _transport.SendAsync(sent, effective, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The run's timeout (or the caller) ended this request: the round still gets its pack and log entry.
            await RecordCancelledAsync(round, started, sent, Math.Round(time.GetElapsedTime(start).TotalMilliseconds, 3));
            throw;
        }

        string file = string.Create(CultureInfo.InvariantCulture, $"agent_round_{round:D2}.json");
        List<FunctionCallContent> calls = result.Response?.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList() ?? [];
        int requested = calls.Count;
        RecordUnknownCalls(round, calls);
        await WritePackAsync(file, round, started, sent, result, requested);
        state.RoundLog.Add(new AgentRound(round, result.LatencyMs, requested, result.FinishReason, "llm/" + file)
        {
            Error = result.Response is null ? connection.Redact(result.Error) : null,
        });

        return result.Response ?? throw new AgentModelException(connection.Redact(result.Error));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The transport already assembles streamed replies; SK's non-streaming path is what the runner uses.
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : connection.Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The connection belongs to the caller.
    }

    // SK answers a call to a function it does not have by itself (an error message to the model) without reaching
    // the filter, so such a call is recorded here, as refused, to keep the trace complete.
    private void RecordUnknownCalls(int round, List<FunctionCallContent> calls)
    {
        foreach (FunctionCallContent call in calls.Where(c => !request.Tools.Any(t => c.Name == ToolCallingAgent.PluginName + "_" + t.Name)))
        {
            var arguments = new JsonObject();
            foreach ((string name, object? value) in call.Arguments ?? new Dictionary<string, object?>())
            {
                arguments[name] = value is null ? null : JsonNode.Parse(JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())));
            }

            state.ToolCalls.Add(new AgentToolCall(round, call.Name, JsonNode.Parse(ToolResults.Mask(arguments, connection.Redact)) as JsonObject ?? [], 0, AgentToolStatus.Refused)
            {
                Error = connection.Redact($"unknown_tool: the model called '{call.Name}', which is not one of the tools offered"),
            });
        }
    }

    private async Task RecordCancelledAsync(int round, DateTimeOffset started, List<ChatMessage> sent, double elapsedMs)
    {
        const string Reason = "cancelled: the run's timeout or the caller ended the request before a reply";
        var result = new ChatTurnResult(null, null, null, null, [new PackAttempt(1, "cancelled", Reason, elapsedMs)], elapsedMs);
        string file = string.Create(CultureInfo.InvariantCulture, $"agent_round_{round:D2}.json");
        await WritePackAsync(file, round, started, sent, result, 0);
        state.RoundLog.Add(new AgentRound(round, elapsedMs, 0, null, "llm/" + file) { Error = Reason });
    }

    private async Task WritePackAsync(string file, int round, DateTimeOffset started, List<ChatMessage> sent, ChatTurnResult result, int requested)
    {
        string outcome = result.Response is null ? "error" : requested > 0 ? "tool_calls" : "final";
        var turn = result.ToPackTurn(1, "initial", sent.Sum(m => TokenEstimator.Estimate(PackMessages.Text(m.Contents))), connection.Redact) with
        {
            Response = result.Response is null ? null : connection.Redact(PackMessages.Text(result.Response.Messages.SelectMany(m => m.Contents))),
            Parse = result.Response is null ? "not_parsed" : "ok",
        };
        var pack = new PromptPack
        {
            CallId = Path.GetFileNameWithoutExtension(file),
            Purpose = request.Purpose,
            Phase = "agent",
            Step = round,
            Provider = LlmSettings.ProviderName(Settings.Provider),
            Model = Settings.Model,
            Endpoint = Settings.SafeEndpoint,
            StartedAt = started,
            RequestOptions = new PackRequestOptions
            {
                Temperature = Temperature,
                MaxOutputTokens = Settings.MaxOutputTokens,
                ResponseFormat = "tools",
                Schema = toolsSchema,
                Stream = Settings.Stream,
                TimeoutSeconds = Settings.Timeout.TotalSeconds,
                MaxRetries = Settings.MaxRetries,
                ApiKeySource = Settings.ApiKeySource,
            },
            ContextWindow = new PackContextWindow(Settings.ContextTokens, 0, [], []),
            Messages = sent.Select(m => PackMessages.Render(m, connection.Redact)).ToList(),
            Turns = [turn],
            Outcome = outcome,
            OutcomeReason = result.Response is null ? connection.Redact(result.Error) : null,
            LatencyMs = result.LatencyMs,
            InputTokens = result.InputTokens,
            OutputTokens = result.OutputTokens,
        };

        if (llmDirectory is not null)
        {
            Directory.CreateDirectory(llmDirectory);

            // Not the run's token: a pack must land even when the timeout is what ends the run.
            await ArtifactJson.WriteAsync(Path.Combine(llmDirectory, file), pack, LlmJsonContext.Default.PromptPack, CancellationToken.None);
        }
    }
}
