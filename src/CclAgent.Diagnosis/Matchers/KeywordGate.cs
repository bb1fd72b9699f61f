using System.Buffers;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// The per-line fast path. Which matchers' keywords, and which training-metric keywords, occur in the line? Searching
/// ~60 keywords ignoring case costs about 1.2 µs on a 130-character line (measured, docs/benchmarks.md), more than
/// reading it. But a large log is a few line templates repeated millions of times, differing only in their numbers, so
/// the answer is cached per template: the line with every run of digits collapsed to one <c>0</c>. That is exact for
/// keywords without digits (an occurrence never spans a digit, and collapsing keeps every other character and its
/// neighbours); the few keywords with digits are searched on the line itself. The template also maps back to the line,
/// so the metric observer can read a cached plan of where the numbers are (<see cref="SeriesPlan"/>).
/// </summary>
internal sealed class KeywordGate
{
    /// <summary>Templates remembered per source; lines of further templates are searched in full, as before.</summary>
    private const int MaxTemplates = 4096;

    private readonly SearchValues<string>[] _keywords;
    private readonly (int Matcher, SearchValues<string> Values, SearchValues<string> Templated)[] _digitKeywords;
    private readonly SearchValues<string> _seriesKeywords;
    private readonly Dictionary<string, TemplateInfo> _templates = new(TemplateComparer.Instance);
    private readonly Dictionary<string, TemplateInfo>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private char[] _template = new char[256];
    private int _length;

    // The collapsed runs of the last line, in order: where each sits in the template, where it starts in the line, and
    // how many characters the line has gained over the template up to and including it.
    private int[] _runAt = new int[64];
    private int[] _runStart = new int[64];
    private int[] _runGain = new int[64];
    private int _runs;

    /// <param name="matcherKeywords">Each matcher's keywords, in matcher order (at most 64 matchers).</param>
    /// <param name="seriesKeywords">The training-metric observer's keywords, which must not contain digits.</param>
    public KeywordGate(IReadOnlyList<IReadOnlyList<string>> matcherKeywords, IEnumerable<string> seriesKeywords)
    {
        if (matcherKeywords.Count > 64)
        {
            throw new ArgumentException("the matcher mask holds 64 matchers", nameof(matcherKeywords));
        }

        string[] series = seriesKeywords.ToArray();
        if (series.Any(HasDigit))
        {
            throw new ArgumentException("training-metric keywords are decided on the template, so they cannot contain digits", nameof(seriesKeywords));
        }

        _keywords = matcherKeywords.Select(k => SearchValues.Create(k.Where(w => !HasDigit(w)).ToArray(), StringComparison.OrdinalIgnoreCase)).ToArray();
        _digitKeywords = matcherKeywords.Select((k, i) => (i, k.Where(HasDigit).ToArray())).Where(d => d.Item2.Length > 0)
            .Select(d => (d.i, SearchValues.Create(d.Item2, StringComparison.OrdinalIgnoreCase), SearchValues.Create(d.Item2.Select(Collapse).ToArray(), StringComparison.OrdinalIgnoreCase)))
            .ToArray();
        _seriesKeywords = SearchValues.Create(series, StringComparison.OrdinalIgnoreCase);
        _lookup = _templates.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The template of the line last given to <see cref="Check"/>.</summary>
    public ReadOnlySpan<char> Template => _template.AsSpan(0, _length);

    /// <summary>
    /// The matchers whose keywords occur in the line (bit i for matcher i, exactly what each matcher's own keyword search
    /// would say), whether a metric keyword does, and the template's cache entry (null once the cache is full).
    /// </summary>
    public (ulong Matchers, bool Series, TemplateInfo? Info) Check(ReadOnlySpan<char> line)
    {
        BuildTemplate(line);
        ReadOnlySpan<char> template = Template;
        if (!_lookup.TryGetValue(template, out TemplateInfo? info))
        {
            info = new TemplateInfo(MatcherMask(template), template.ContainsAny(_seriesKeywords), DigitCandidates(template));
            if (_templates.Count < MaxTemplates)
            {
                _lookup[template] = info;
            }
            else
            {
                return (info.Matchers | DigitMask(line, info.DigitCandidates), info.Series, null);
            }
        }

        return (info.Matchers | DigitMask(line, info.DigitCandidates), info.Series, info);
    }

    /// <summary>The line's range for the template's range [start, end): a collapsed <c>0</c> stands for its whole run of digits.</summary>
    public Range LineRange(int start, int end) => new(LineStart(start), LineEnd(end - 1));

    /// <summary>Where the template character at <paramref name="position"/> starts in the line.</summary>
    private int LineStart(int position)
    {
        int run = LastRunAtOrBefore(position);
        if (run >= 0 && _runAt[run] == position)
        {
            return _runStart[run];
        }

        return position + (run >= 0 ? _runGain[run] : 0);
    }

    /// <summary>Where the template character at <paramref name="position"/> ends in the line (after its run, for a <c>0</c>).</summary>
    private int LineEnd(int position)
    {
        int run = LastRunAtOrBefore(position);
        return position + 1 + (run >= 0 ? _runGain[run] : 0);
    }

    private int LastRunAtOrBefore(int position)
    {
        int found = Array.BinarySearch(_runAt, 0, _runs, position);
        return found >= 0 ? found : ~found - 1;
    }

    private ulong MatcherMask(ReadOnlySpan<char> template)
    {
        ulong mask = 0;
        for (int i = 0; i < _keywords.Length; i++)
        {
            if (template.ContainsAny(_keywords[i]))
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }

    /// <summary>
    /// Matchers whose digit keywords, collapsed like a template (<c>P2P</c> → <c>P0P</c>), occur in the template: a line
    /// can contain the keyword only then, so only those are searched on the line itself (exact), and most lines none.
    /// </summary>
    private ulong DigitCandidates(ReadOnlySpan<char> template)
    {
        ulong mask = 0;
        foreach ((int matcher, _, SearchValues<string> templated) in _digitKeywords)
        {
            if (template.ContainsAny(templated))
            {
                mask |= 1UL << matcher;
            }
        }

        return mask;
    }

    private ulong DigitMask(ReadOnlySpan<char> line, ulong candidates)
    {
        ulong mask = 0;
        if (candidates == 0)
        {
            return mask;
        }

        foreach ((int matcher, SearchValues<string> values, _) in _digitKeywords)
        {
            if ((candidates & (1UL << matcher)) != 0 && line.ContainsAny(values))
            {
                mask |= 1UL << matcher;
            }
        }

        return mask;
    }

    /// <summary>A keyword as it appears in a template: each run of digits as one <c>0</c>.</summary>
    private static string Collapse(string keyword) => System.Text.RegularExpressions.Regex.Replace(keyword, "[0-9]+", "0");

    /// <summary>The line with each run of ASCII digits replaced by one <c>0</c>, and where the runs were.</summary>
    private void BuildTemplate(ReadOnlySpan<char> line)
    {
        if (_template.Length < line.Length)
        {
            _template = new char[Math.Max(line.Length, _template.Length * 2)];
        }

        int written = 0;
        int position = 0;
        int gain = 0;
        _runs = 0;
        while (position < line.Length)
        {
            int digit = line[position..].IndexOfAnyInRange('0', '9');
            int copy = digit < 0 ? line.Length - position : digit;
            line.Slice(position, copy).CopyTo(_template.AsSpan(written));
            written += copy;
            position += copy;
            if (digit < 0)
            {
                break;
            }

            int rest = line[position..].IndexOfAnyExceptInRange('0', '9');
            int end = rest < 0 ? line.Length : position + rest;
            gain += end - position - 1;
            AddRun(written, position, gain);
            _template[written++] = '0';
            position = end;
        }

        _length = written;
    }

    private void AddRun(int at, int start, int gain)
    {
        if (_runs == _runAt.Length)
        {
            Array.Resize(ref _runAt, _runs * 2);
            Array.Resize(ref _runStart, _runs * 2);
            Array.Resize(ref _runGain, _runs * 2);
        }

        _runAt[_runs] = at;
        _runStart[_runs] = start;
        _runGain[_runs] = gain;
        _runs++;
    }

    private static bool HasDigit(string keyword) => keyword.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
}
