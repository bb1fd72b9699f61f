using System.Text;

namespace CclAgent.Llm.Knowledge;

/// <summary>
/// Lower-cased word terms for BM25. An NCCL variable name is kept whole and also split into its parts,
/// so "NCCL_IB_QPS_PER_CONNECTION" matches a query for it and a query for "qps". Stop words are dropped.
/// </summary>
public static class Tokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of", "on", "or",
        "that", "the", "this", "to", "was", "with", "when", "which", "what", "not", "no", "can", "if", "so", "than",
        "nccl", "use", "uses", "used",
    };

    public static IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Add(word, terms);
            }
        }

        Add(word, terms);
        return terms;
    }

    private static void Add(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        string token = word.ToString().Trim('_');
        word.Clear();
        if (token.Length == 0)
        {
            return;
        }

        if (token.Contains('_', StringComparison.Ordinal))
        {
            terms.Add(token);
            foreach (string part in token.Split('_', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Length > 1 && !StopWords.Contains(part))
                {
                    terms.Add(part);
                }
            }
        }
        else if (token.Length > 1 && !StopWords.Contains(token))
        {
            terms.Add(token);
        }
    }
}
