namespace CclAgent.Llm.Clients;

/// <summary>Which kind of model server the agent talks to; <see cref="None"/> means no model at all.</summary>
public enum LlmProvider
{
    None,
    Ollama,
    OpenAI,

    /// <summary>The Anthropic Messages API (POST {base}/v1/messages), also spoken by MiniMax's Anthropic-compatible endpoint.</summary>
    Anthropic,
}
