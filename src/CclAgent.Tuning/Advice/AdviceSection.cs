namespace CclAgent.Tuning.Advice;

/// <summary>One section of the model's context; a lower priority is dropped first when the token budget is short.</summary>
public sealed record AdviceSection(string Name, int Priority, string Text)
{
    /// <summary>Evidence ids the section shows (rag:…, rule:…, metric:…), which the model may cite back.</summary>
    public IReadOnlyList<string> Citations { get; init; } = [];
}
