namespace CclAgent.Llm.Knowledge;

/// <summary>
/// Okapi BM25 over knowledge chunks (k1 = 1.2, b = 0.75, the usual defaults). The heading counts as part
/// of the chunk's text. Ties are broken by document and chunk order, so a query always ranks the same way.
/// </summary>
public sealed class Bm25Index
{
    public const double K1 = 1.2;
    public const double B = 0.75;

    private readonly List<KnowledgeChunk> _chunks;
    private readonly List<Dictionary<string, int>> _termFrequencies;
    private readonly int[] _lengths;
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Index(IEnumerable<KnowledgeChunk> chunks)
    {
        _chunks = chunks.ToList();
        _termFrequencies = new List<Dictionary<string, int>>(_chunks.Count);
        _lengths = new int[_chunks.Count];
        for (int i = 0; i < _chunks.Count; i++)
        {
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            IReadOnlyList<string> terms = Tokenizer.Terms(_chunks[i].Heading + "\n" + _chunks[i].Text);
            foreach (string term in terms)
            {
                frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            }

            foreach (string term in frequencies.Keys)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }

            _termFrequencies.Add(frequencies);
            _lengths[i] = terms.Count;
        }

        _averageLength = _lengths.Length == 0 ? 0 : _lengths.Average();
    }

    public int Count => _chunks.Count;

    public IReadOnlyList<KnowledgeChunk> Chunks => _chunks;

    public IReadOnlyList<RetrievedChunk> Search(string query, int limit)
    {
        IReadOnlyList<string> terms = Tokenizer.Terms(query).Distinct(StringComparer.Ordinal).ToList();
        var results = new List<RetrievedChunk>();
        for (int i = 0; i < _chunks.Count; i++)
        {
            double score = 0;
            foreach (string term in terms)
            {
                if (!_termFrequencies[i].TryGetValue(term, out int tf))
                {
                    continue;
                }

                double idf = Idf(term);
                double norm = tf + (K1 * (1 - B + (B * _lengths[i] / Math.Max(1e-9, _averageLength))));
                score += idf * tf * (K1 + 1) / norm;
            }

            if (score > 0)
            {
                results.Add(new RetrievedChunk(_chunks[i], Math.Round(score, 6)));
            }
        }

        return results.OrderByDescending(r => r.Score).ThenBy(r => r.Chunk.Document, StringComparer.Ordinal).ThenBy(r => r.Chunk.Index).Take(limit).ToList();
    }

    /// <summary>BM25's idf with the +1 inside the log, so very common terms score near zero instead of negative.</summary>
    private double Idf(string term)
    {
        int n = _documentFrequency.GetValueOrDefault(term);
        return Math.Log(1 + ((_chunks.Count - n + 0.5) / (n + 0.5)));
    }
}
