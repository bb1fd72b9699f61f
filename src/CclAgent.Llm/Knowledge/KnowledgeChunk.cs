namespace CclAgent.Llm.Knowledge;

/// <summary>A retrievable piece of a knowledge note: one heading and its text. Cited as rag:&lt;doc&gt;:&lt;chunk&gt;.</summary>
public sealed record KnowledgeChunk(string Document, int Index, string Heading, string Text)
{
    public string Citation => $"rag:{Document}:{Index}";
}
