namespace CclAgent.Tuning.Knowledge;

/// <summary>A documented NCCL tuning effect that applies to this context: the patch to try, why, and where it is documented.</summary>
internal sealed record KnowledgeRule(string Id, IReadOnlyDictionary<string, string> Patch, string Rationale, string Source)
{
    /// <summary>The knowledge-note chunks (rag:doc:chunk) that document this effect, best match first.</summary>
    public IReadOnlyList<string> Citations { get; init; } = [];
}
