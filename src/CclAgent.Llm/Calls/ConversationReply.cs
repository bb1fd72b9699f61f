namespace CclAgent.Llm.Calls;

/// <summary>
/// What one question of a conversation produced: the parsed value (JSON turns) or the text (free turns),
/// the prompt pack of the exchange, and why nothing usable came back when that is the case.
/// </summary>
public sealed record ConversationReply<T>(T? Value, string? Text, string Outcome, string? Reason, PromptPack? Pack)
    where T : class
{
    public static ConversationReply<T> Skipped(string reason) => new(null, null, "skipped", reason, null);
}
