namespace CclAgent.Tuning.Records;

/// <summary>A configuration offline planning considered for the first trial.</summary>
internal sealed record WarmStartCandidate(string Source, IReadOnlyDictionary<string, string> Config, double PredictedMs, double Risk, string Rationale, IReadOnlyList<string> Evidence);
