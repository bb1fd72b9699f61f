namespace CclAgent.Tuning.Advice;

/// <summary>What the agent asks the model: purpose and phase (for the prompt pack), instructions, the task and its context sections.</summary>
public sealed record AdviceQuestion
{
    /// <summary>baseline | hypotheses.</summary>
    public required string Purpose { get; init; }
    public required string Phase { get; init; }
    public int? Step { get; init; }
    public required string Instructions { get; init; }
    public required string Task { get; init; }
    public required IReadOnlyList<AdviceSection> Sections { get; init; }
}
