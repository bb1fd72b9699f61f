using System.Text;

namespace CclAgent.Llm.Knowledge;

/// <summary>
/// Splits a Markdown note into chunks at level-2 and level-3 headings; an over-long section is split
/// again at paragraph breaks. Each chunk carries its heading path, so a retrieved chunk reads on its own.
/// Chunk numbers are positions in the document, stable as long as the note's structure is.
/// </summary>
public static class MarkdownChunker
{
    public const int MaxChunkCharacters = 1600;

    public static IReadOnlyList<KnowledgeChunk> Chunk(string document, string markdown)
    {
        var chunks = new List<KnowledgeChunk>();
        string title = document;
        string heading = document;
        var body = new StringBuilder();

        void Flush()
        {
            string text = body.ToString().Trim();
            body.Clear();
            if (text.Length == 0)
            {
                return;
            }

            foreach (string part in SplitLong(text))
            {
                chunks.Add(new KnowledgeChunk(document, chunks.Count, heading, part));
            }
        }

        foreach (string raw in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                Flush();
                title = line[2..].Trim();
                heading = title;
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                Flush();
                string name = line.TrimStart('#').Trim();
                heading = line.StartsWith("### ", StringComparison.Ordinal) && heading.Contains(" › ", StringComparison.Ordinal)
                    ? $"{heading[..heading.LastIndexOf(" › ", StringComparison.Ordinal)]} › {name}"
                    : $"{title} › {name}";
            }
            else
            {
                body.Append(line).Append('\n');
            }
        }

        Flush();
        return chunks;
    }

    private static IEnumerable<string> SplitLong(string text)
    {
        if (text.Length <= MaxChunkCharacters)
        {
            yield return text;
            yield break;
        }

        var part = new StringBuilder();
        foreach (string paragraph in text.Split("\n\n"))
        {
            if (part.Length > 0 && part.Length + paragraph.Length > MaxChunkCharacters)
            {
                yield return part.ToString().Trim();
                part.Clear();
            }

            part.Append(paragraph).Append("\n\n");
        }

        if (part.Length > 0)
        {
            yield return part.ToString().Trim();
        }
    }
}
