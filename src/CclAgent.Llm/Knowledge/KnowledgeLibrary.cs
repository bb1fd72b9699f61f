using System.Reflection;

namespace CclAgent.Llm.Knowledge;

/// <summary>
/// The knowledge the agent can cite: the notes shipped in docs/knowledge/ (embedded in this assembly)
/// plus any Markdown or text files in the user's own directories, chunked and indexed with BM25.
/// A user document's id is its file name, prefixed with "user-" when it would clash with a shipped note.
/// </summary>
public sealed class KnowledgeLibrary
{
    private const string ResourcePrefix = "knowledge/";
    private static readonly Lazy<KnowledgeLibrary> Shipped = new(() => Load([]));

    private KnowledgeLibrary(Bm25Index index, IReadOnlyList<string> documents, IReadOnlyList<string> sources)
    {
        Index = index;
        Documents = documents;
        Sources = sources;
    }

    /// <summary>The shipped notes only (loaded once per process).</summary>
    public static KnowledgeLibrary BuiltIn => Shipped.Value;

    public Bm25Index Index { get; }
    public IReadOnlyList<string> Documents { get; }

    /// <summary>Where the documents came from: "built-in" and each user directory.</summary>
    public IReadOnlyList<string> Sources { get; }

    public IReadOnlyList<RetrievedChunk> Search(string query, int limit = 4) => Index.Search(query, limit);

    public KnowledgeChunk? Find(string citation) => Index.Chunks.FirstOrDefault(c => c.Citation == citation);

    /// <summary>Loads the shipped notes and every *.md / *.txt file (recursively) under the given directories.</summary>
    public static KnowledgeLibrary Load(IReadOnlyList<string> userDirectories)
    {
        var chunks = new List<KnowledgeChunk>();
        var documents = new List<string>();
        Assembly assembly = typeof(KnowledgeLibrary).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            string id = Path.GetFileNameWithoutExtension(name[ResourcePrefix.Length..]);
            documents.Add(id);
            chunks.AddRange(MarkdownChunker.Chunk(id, reader.ReadToEnd()));
        }

        var sources = new List<string> { "built-in" };
        foreach (string directory in userDirectories)
        {
            sources.Add(Path.GetFullPath(directory));
            foreach (string file in Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal))
            {
                string id = DocumentId(Path.GetFileNameWithoutExtension(file));
                id = documents.Contains(id, StringComparer.Ordinal) ? "user-" + id : id;
                documents.Add(id);
                chunks.AddRange(MarkdownChunker.Chunk(id, File.ReadAllText(file)));
            }
        }

        return new KnowledgeLibrary(new Bm25Index(chunks), documents, sources);
    }

    /// <summary>Citation-safe id: letters, digits, '-' and '_' only (':' separates the parts of a citation).</summary>
    private static string DocumentId(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-').ToArray());
}
