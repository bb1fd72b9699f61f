namespace CclAgent.Llm.Clients;

/// <summary>Which kind of model server the agent talks to; <see cref="None"/> means no model at all.</summary>
public enum LlmProvider
{
    None,
    Ollama,
    OpenAI,
}
