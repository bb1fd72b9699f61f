namespace CclAgent.Tuning.Records;

/// <summary>
/// Why the loop did what it did after a step: the decision, the evidence ids it used, what it expects
/// next, and whether the previous expectation held.
/// </summary>
public sealed record DecisionRecord
{
    /// <summary>What happened to this step; a stop is in <see cref="StopReason"/>.</summary>
    public required StepDecision Decision { get; init; }
    public required string Reason { get; init; }
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>What this step's configuration was expected to measure (ms) and whether it did (within the prediction's uncertainty or better).</summary>
    public double? ExpectedIterationMs { get; init; }
    public bool? ExpectationHeld { get; init; }

    public string? NextSource { get; init; }
    public string? NextRationale { get; init; }
    public IReadOnlyDictionary<string, string>? NextConfig { get; init; }
    public double? NextExpectedIterationMs { get; init; }
    public string? StopReason { get; init; }

    /// <summary>True when the configuration of this step was proposed by the language model (evidence names the llm:&lt;call_id&gt;).</summary>
    public bool? FromModel { get; init; }

    /// <summary>For a model proposal: whether it helped (it became the new incumbent).</summary>
    public bool? ModelProposalHelped { get; init; }
}
