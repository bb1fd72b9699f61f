namespace CclAgent.Diagnosis.Review;

/// <summary>
/// The report's "llm" section: what the model added on top of the deterministic verdict (which stays the
/// answer), where it disagrees, and what the conversation cost (turns and tokens).
/// </summary>
public sealed record ModelReview
{
    /// <summary>False when the model never answered (unreachable, provider none): the report is then purely deterministic.</summary>
    public required bool Used { get; init; }
    public required string Provider { get; init; }
    public string? Model { get; init; }
    public string? Endpoint { get; init; }
    public required int MaxTurns { get; init; }

    /// <summary>Every request of the conversation, repairs included, with its tokens.</summary>
    public IReadOnlyList<ReviewTurn> Turns { get; init; } = [];
    public long TotalTokens { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }

    /// <summary>Null when the model gave no usable root-cause answer.</summary>
    public bool? AgreesWithVerdict { get; init; }
    public string? ModelRootCause { get; init; }

    /// <summary>The model's category, only when it is one of the known categories.</summary>
    public string? ModelCategory { get; init; }

    /// <summary>Why the model's category was refused (not a known category).</summary>
    public string? ModelCategoryRejected { get; init; }
    public IReadOnlyList<ModelCorrelation> Correlations { get; init; } = [];
    public IReadOnlyList<string> Recommendations { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Why the model could not be used, when it could not.</summary>
    public string? Unavailable { get; init; }

    /// <summary>Prompt packs written under --out (llm/call_&lt;n&gt;.json); empty when they were kept in memory only.</summary>
    public IReadOnlyList<string> PromptPacks { get; init; } = [];
}
