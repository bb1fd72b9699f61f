using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Clients;

/// <summary>
/// The client for --provider none: answers every request with an empty reply and never touches the
/// network, so code paths that hold an <see cref="IChatClient"/> need no null checks.
/// </summary>
public sealed class NullChatClient : IChatClient
{
    public static NullChatClient Instance { get; } = new();

    private static readonly ChatClientMetadata Metadata = new("none");

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse([]));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
