using CclAgent.Llm.Knowledge;
using CclAgent.Tuning.Knowledge;

namespace CclAgent.Runtime.Advice;

/// <summary>The shipped knowledge notes (and the user's) as the agent's knowledge source: BM25 retrieval over their chunks.</summary>
public sealed class KnowledgeLibrarySource(KnowledgeLibrary library) : IKnowledgeSource
{
    public static KnowledgeLibrarySource BuiltIn { get; } = new(KnowledgeLibrary.BuiltIn);

    public IReadOnlyList<KnowledgeSnippet> Search(string query, int limit) =>
        library.Search(query, limit).Select(r => new KnowledgeSnippet(r.Citation, r.Chunk.Heading, r.Chunk.Text, r.Score)).ToList();

    public bool Contains(string citation) => library.Find(citation) is not null;
}
