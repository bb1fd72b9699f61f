namespace CclAgent.Llm.Context;

/// <summary>
/// A named part of a prompt's context. Higher <see cref="Priority"/> is kept longer: when the token
/// budget runs out, the lowest-priority sections are cut first.
/// </summary>
public sealed record ContextSection(string Name, int Priority, string Text)
{
    /// <summary>Evidence ids the section quotes (rag:doc:chunk, rule:id, metric:step:name).</summary>
    public IReadOnlyList<string> Citations { get; init; } = [];
}
