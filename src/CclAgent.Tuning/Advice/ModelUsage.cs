namespace CclAgent.Tuning.Advice;

/// <summary>How the run used the language model, for the summary: calls, validated proposals, and why it stopped being asked.</summary>
public sealed record ModelUsage(string Provider, bool Used, int Calls, int ValidatedProposals, string? Unavailable);
