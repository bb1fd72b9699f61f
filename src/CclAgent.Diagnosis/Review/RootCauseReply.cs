namespace CclAgent.Diagnosis.Review;

/// <summary>Reply schema, root-cause turn: the model's category (one of the known ones), its root cause, and whether it agrees.</summary>
public sealed record RootCauseReply(string Category, string RootCause, bool AgreesWithVerdict, string Explanation);
