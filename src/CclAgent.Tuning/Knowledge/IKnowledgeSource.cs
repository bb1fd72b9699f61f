namespace CclAgent.Tuning.Knowledge;

/// <summary>The knowledge notes the agent cites: ranked retrieval, and whether a citation names a known chunk.</summary>
public interface IKnowledgeSource
{
    IReadOnlyList<KnowledgeSnippet> Search(string query, int limit);

    bool Contains(string citation);
}
