namespace CclAgent.Tuning.Knowledge;

/// <summary>A retrieved piece of a knowledge note, cited as <see cref="Citation"/> (rag:&lt;doc&gt;:&lt;chunk&gt;).</summary>
public sealed record KnowledgeSnippet(string Citation, string Heading, string Text, double Score);
