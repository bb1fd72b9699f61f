using CclAgent.Core.Secrets;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Clients;

/// <summary>
/// A built client and what goes with it: the settings it was built from, and the secrets it was given (the
/// API key), which <see cref="Redact"/> blanks out of any text (error messages, echoed replies, prompts)
/// together with anything else <see cref="SecretRedactor"/> recognises, before that text is written anywhere.
/// </summary>
public sealed class ModelConnection(IChatClient client, LlmSettings settings, IReadOnlyList<string> secrets, IDisposable? owned = null) : IDisposable
{
    public IChatClient Client { get; } = client;
    public LlmSettings Settings { get; } = settings;

    public string Redact(string text) => SecretRedactor.Redact(text, secrets);

    public static ModelConnection None { get; } = new(NullChatClient.Instance, LlmSettings.Disabled, []);

    public void Dispose()
    {
        Client.Dispose();
        owned?.Dispose();
    }
}
