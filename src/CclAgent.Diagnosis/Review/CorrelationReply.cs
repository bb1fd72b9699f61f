namespace CclAgent.Diagnosis.Review;

/// <summary>Reply schema, correlate turn: the links the model sees between the errors and the code.</summary>
public sealed record CorrelationReply(IReadOnlyList<CorrelationProposal> Correlations);
