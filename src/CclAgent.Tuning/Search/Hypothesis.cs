namespace CclAgent.Tuning.Search;

/// <summary>A portfolio entry: a patch from a memory rule, the knowledge base or the language model, tried on top of the incumbent.</summary>
internal sealed record Hypothesis(string Source, IReadOnlyDictionary<string, string> Patch, string Evidence)
{
    /// <summary>Why the source believes in it (the model's own words for "llm").</summary>
    public string? Rationale { get; init; }

    /// <summary>Further evidence ids (rag:doc:chunk, rule:id) carried into the decision record.</summary>
    public IReadOnlyList<string> Citations { get; init; } = [];
}
