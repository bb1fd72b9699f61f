namespace CclAgent.Diagnosis.Review;

/// <summary>A link the model drew between a piece of evidence and a place in the code, with its explanation.</summary>
public sealed record ModelCorrelation(string EvidenceId, string? Location, string Explanation);
