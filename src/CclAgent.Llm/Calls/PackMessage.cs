namespace CclAgent.Llm.Calls;

/// <summary>One chat message exactly as sent or received.</summary>
public sealed record PackMessage(string Role, string Text);
