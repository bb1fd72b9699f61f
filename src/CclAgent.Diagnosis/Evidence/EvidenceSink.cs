using CclAgent.Core.Secrets;

namespace CclAgent.Diagnosis.Evidence;

/// <summary>
/// Collects evidence with bounded memory: per source and signal (and variant, e.g. the Xid code) it keeps
/// the first lines and the last one, and counts the rest. A log with a million identical warnings costs
/// the same memory as one with twenty.
/// </summary>
internal sealed class EvidenceSink(int maxPerSignal)
{
    private const int MaxTextLength = 400;
    private const int MaxRanksTracked = 65536;
    private const long LinesPerSource = 1L << 40;
    private readonly Dictionary<(string Source, string Signal, string Variant), Bucket> _buckets = [];
    private readonly Dictionary<string, int> _perSource = [];
    private readonly Dictionary<int, long> _lastEnqueuedByRank = [];

    /// <summary>Watchdog "last enqueued" per rank, for finding the straggler (bounded by the rank count).</summary>
    public IReadOnlyDictionary<int, long> LastEnqueuedByRank => _lastEnqueuedByRank;

    public void Add(Signal signal, LineContext context, string text, IReadOnlyDictionary<string, string>? facts = null, string variant = "",
        string? category = null, string? role = null, double? weight = null, string? domain = null)
    {
        string resolvedCategory = category ?? signal.Category;
        var item = new EvidenceItem
        {
            Id = string.Empty,
            Signal = signal.Name,
            Category = resolvedCategory,
            Role = role ?? signal.Role,
            Domain = domain ?? signal.Domain ?? Classification.FailureCategory.DomainOf(resolvedCategory),
            File = context.Source,
            Line = context.Line,
            Text = text,
            Facts = facts ?? new Dictionary<string, string>(),
            Step = context.Step,
            Weight = weight ?? signal.Weight,
            Order = (context.SourceIndex * LinesPerSource) + context.Line,
        };

        var key = (context.Source, signal.Name, variant);
        if (!_buckets.TryGetValue(key, out Bucket? bucket))
        {
            bucket = new Bucket();
            _buckets[key] = bucket;
        }

        bucket.Add(item, maxPerSignal);
        _perSource[context.Source] = _perSource.GetValueOrDefault(context.Source) + 1;
    }

    public void RecordLastEnqueued(int rank, long lastEnqueued)
    {
        if (_lastEnqueuedByRank.Count < MaxRanksTracked || _lastEnqueuedByRank.ContainsKey(rank))
        {
            _lastEnqueuedByRank[rank] = lastEnqueued;
        }
    }

    /// <summary>The latest training step any source reached (the failure step when no evidence carries one).</summary>
    public long? LastStep { get; private set; }

    public void NoteStep(long? step)
    {
        if (step is long s && (LastStep is null || s > LastStep))
        {
            LastStep = s;
        }
    }

    public int CountFor(string source) => _perSource.GetValueOrDefault(source);

    /// <summary>
    /// The kept evidence in reading order, numbered ev-1, ev-2, …; each carries its bucket's total count. Text and facts
    /// are masked here, once per kept line: every later output (text, JSON, the model's prompt) is built from them.
    /// </summary>
    public List<EvidenceItem> Items()
    {
        var items = _buckets.Values.SelectMany(b => b.Kept().Select(item => Masked(item) with { Occurrences = b.Count })).OrderBy(i => i.Order).ToList();
        for (int i = 0; i < items.Count; i++)
        {
            items[i] = items[i] with { Id = $"ev-{i + 1}" };
        }

        return items;
    }

    private static EvidenceItem Masked(EvidenceItem item) => item with
    {
        Text = Clip(item.Text),
        Facts = item.Facts.ToDictionary(f => f.Key, f => SecretRedactor.Redact(f.Value), StringComparer.Ordinal),
    };

    private static string Clip(string text)
    {
        // Masked before clipping: a token cut at the limit would no longer have the shape that identifies it.
        string trimmed = SecretRedactor.Redact(text.Trim());
        return trimmed.Length > MaxTextLength ? string.Concat(trimmed.AsSpan(0, MaxTextLength - 1), "…") : trimmed;
    }

    private sealed class Bucket
    {
        private readonly List<EvidenceItem> _first = [];
        private EvidenceItem? _last;

        public long Count { get; private set; }

        public void Add(EvidenceItem item, int max)
        {
            Count++;
            if (_first.Count < Math.Max(1, max - 1))
            {
                _first.Add(item);
            }
            else
            {
                _last = item;
            }
        }

        public IEnumerable<EvidenceItem> Kept() => _last is null ? _first : _first.Append(_last);
    }
}
