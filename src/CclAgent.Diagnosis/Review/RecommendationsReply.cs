namespace CclAgent.Diagnosis.Review;

/// <summary>Reply schema, recommendations turn: concrete fixes in priority order, and anything else worth saying.</summary>
public sealed record RecommendationsReply(IReadOnlyList<string> Recommendations, string Notes);
