using System.Net;
using System.Text.Json;
using CclAgent.Llm.Calls;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Clients;

/// <summary>
/// A model that answers from a recorded run's prompt packs (llm/call_*.json), for <c>replay</c>: every HTTP attempt the
/// run made, in order, is answered as it was then — the recorded reply, or the recorded failure raised the way the real
/// client raises it (a timeout, a refused connection, an HTTP status), so the session retries, repairs and gives up
/// exactly as it did. A request beyond the record fails as a protocol error, which the replayer then reports as a
/// divergence in the calls.
/// </summary>
public sealed class RecordedChatClient : IChatClient
{
    private static readonly ChatClientMetadata Metadata = new("recorded");
    private readonly Queue<RecordedAttempt> _attempts;

    private RecordedChatClient(Queue<RecordedAttempt> attempts) => _attempts = attempts;

    /// <summary>The recorded calls, in call order (call_0001, call_0002, …).</summary>
    public IReadOnlyList<PromptPack> Packs { get; private init; } = [];

    /// <summary>Reads every prompt pack in <paramref name="llmDirectory"/>; throws <see cref="JsonException"/> on one that is not a pack.</summary>
    public static RecordedChatClient FromPacks(string llmDirectory)
    {
        List<PromptPack> packs = [];
        if (Directory.Exists(llmDirectory))
        {
            foreach (string file in Directory.EnumerateFiles(llmDirectory, "call_*.json").Order(StringComparer.Ordinal))
            {
                packs.Add(JsonSerializer.Deserialize(File.ReadAllBytes(file), LlmJsonContext.Default.PromptPack)
                    ?? throw new JsonException($"{file}: expected a prompt pack, found null"));
            }
        }

        var attempts = new Queue<RecordedAttempt>();
        foreach (PackTurn turn in packs.SelectMany(p => p.Turns))
        {
            foreach (PackAttempt attempt in turn.Attempts)
            {
                attempts.Enqueue(new RecordedAttempt(attempt, turn));
            }
        }

        return new RecordedChatClient(attempts) { Packs = packs };
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RecordedAttempt next = Next();
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, next.Turn.Response ?? string.Empty))
        {
            FinishReason = next.Turn.FinishReason is { } reason ? new ChatFinishReason(reason) : null,
            Usage = new UsageDetails { InputTokenCount = next.Turn.InputTokens, OutputTokenCount = next.Turn.OutputTokens },
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>The next recorded attempt when it succeeded; its failure, raised as the real client raises it, otherwise.</summary>
    private RecordedAttempt Next()
    {
        if (!_attempts.TryDequeue(out RecordedAttempt? next))
        {
            throw new InvalidOperationException("the recorded run made no further model request here");
        }

        string error = next.Attempt.Error ?? next.Attempt.Outcome;
        return next.Attempt.Outcome switch
        {
            "ok" => next,
            "timeout" => throw new OperationCanceledException(error),
            "unreachable" => throw new HttpRequestException(HttpRequestError.ConnectionError, error),
            "transport_error" => throw new HttpRequestException(error),
            _ when next.Attempt.Outcome.StartsWith("http_", StringComparison.Ordinal) && int.TryParse(next.Attempt.Outcome[5..], out int status)
                => throw new HttpRequestException(error, null, (HttpStatusCode)status),
            _ => throw new InvalidOperationException(error),
        };
    }

    private sealed record RecordedAttempt(PackAttempt Attempt, PackTurn Turn);
}
