namespace CclAgent.Diagnosis.Classification;

/// <summary>The diagnosis: the root cause in a sentence, its category, how sure, its causal role and domain, and the failure step.</summary>
public sealed record Verdict
{
    public required string RootCause { get; init; }
    public required string Category { get; init; }

    /// <summary>0–1. The root signal's strength, reduced when a second independent cause competes with it.</summary>
    public required double Confidence { get; init; }

    /// <summary>initiating when the root is a fault that starts failures; cascade when only symptoms were found.</summary>
    public required string Role { get; init; }
    public required string Domain { get; init; }
    public long? FailureStep { get; init; }
    public IReadOnlyList<string> EvidenceIds { get; init; } = [];

    /// <summary>Ranks whose watchdog "last enqueued" work lags the others (the stragglers), when known.</summary>
    public IReadOnlyList<int>? StragglerRanks { get; init; }

    /// <summary>Why: which evidence started the failure, what was set aside as cascade or confirmation.</summary>
    public IReadOnlyList<string> Reasoning { get; init; } = [];
}
