using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Clients;

/// <summary>
/// A built client and what goes with it: the settings it was built from, and a redactor that blanks
/// the API key out of any text (error messages, echoed replies) before that text is written anywhere.
/// </summary>
public sealed class ModelConnection(IChatClient client, LlmSettings settings, Func<string, string> redact, IDisposable? owned = null) : IDisposable
{
    public IChatClient Client { get; } = client;
    public LlmSettings Settings { get; } = settings;

    public string Redact(string text) => redact(text);

    public static ModelConnection None { get; } = new(NullChatClient.Instance, LlmSettings.Disabled, t => t);

    public void Dispose()
    {
        Client.Dispose();
        owned?.Dispose();
    }
}
