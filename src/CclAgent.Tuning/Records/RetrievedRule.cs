namespace CclAgent.Tuning.Records;

/// <summary>A memory rule as offline planning saw it, with its retrieval score.</summary>
internal sealed record RetrievedRule(string Id, IReadOnlyDictionary<string, string> Patch, string Description, double Score, double Similarity);
