namespace CclAgent.Llm.Tests.Support;

/// <summary>A small reply contract for session tests: an answer and a list of items the validator judges.</summary>
public sealed record ProbeReply
{
    public required string Answer { get; init; }
    public required IReadOnlyList<string> Items { get; init; }
}
