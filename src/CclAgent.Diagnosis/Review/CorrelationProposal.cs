namespace CclAgent.Diagnosis.Review;

/// <summary>Reply schema, correlate turn: one link between an evidence id and a code location.</summary>
public sealed record CorrelationProposal(string EvidenceId, string Location, string Explanation);
