namespace CclAgent.Llm.Calls;

/// <summary>One HTTP attempt of a turn: ok, or the failure kind (unreachable, timeout, http_500, protocol_error) and its message.</summary>
public sealed record PackAttempt(int Attempt, string Outcome, string? Error, double LatencyMs);
