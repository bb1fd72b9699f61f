namespace CclAgent.Tuning.Search;

/// <summary>A portfolio entry: a patch from a memory rule or the knowledge base, tried on top of the incumbent.</summary>
public sealed record Hypothesis(string Source, IReadOnlyDictionary<string, string> Patch, string Evidence);
