namespace CclAgent.Tuning.Advice;

/// <summary>The agent's verdict on a parsed reply: the proposals that passed, and those that did not with why.</summary>
public sealed record AdviceVerdict(IReadOnlyList<string> Accepted, IReadOnlyList<string> Rejected);
