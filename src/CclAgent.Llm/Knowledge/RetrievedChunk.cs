namespace CclAgent.Llm.Knowledge;

/// <summary>A chunk returned for a query, with its BM25 score.</summary>
public sealed record RetrievedChunk(KnowledgeChunk Chunk, double Score)
{
    public string Citation => Chunk.Citation;
}
