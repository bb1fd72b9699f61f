namespace CclAgent.Testing;

/// <summary>The chat wire protocols the loopback model servers speak.</summary>
public enum ChatProtocol
{
    /// <summary>Ollama POST /api/chat: <c>message.tool_calls[].function{name, arguments}</c>, tool results as role "tool".</summary>
    Ollama,

    /// <summary>OpenAI POST /v1/chat/completions: <c>choices[0].message.tool_calls</c>, <c>finish_reason: "tool_calls"</c>.</summary>
    OpenAI,

    /// <summary>Anthropic POST /v1/messages: <c>tool_use</c> content blocks, <c>stop_reason: "tool_use"</c>, <c>tool_result</c> blocks back.</summary>
    Anthropic,
}
