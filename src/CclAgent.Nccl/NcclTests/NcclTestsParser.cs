using System.Globalization;
using CclAgent.Core.Text;

namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// Streaming parser for nccl-tests output (`*_perf` stdout, possibly interleaved with NCCL logs and
/// launcher prefixes). Feed it lines with <see cref="AddLine"/> as they arrive, then <see cref="Complete"/>.
/// Memory is bounded: lines are capped by the reader, kept rows are capped per table, and the averages are
/// running sums, so a runaway log costs counters, not memory.
/// </summary>
public sealed class NcclTestsParser
{
    /// <summary>Rows kept per table; more are counted (and averaged) but not stored.</summary>
    public const int MaxRowsPerCollective = 100_000;

    /// <summary>Tables kept per file; later ones are dropped.</summary>
    public const int MaxCollectives = 1_000;

    /// <summary>The longest line read whole; a longer one (a binary blob, a log without newlines) is counted as skipped.</summary>
    private const int MaxLineChars = 16 * 1024;

    private static readonly char[] Separators = [' ', '\t'];

    private readonly List<NcclTestsCollective> _done = [];
    private Pending? _current;
    private NcclTestsLayout? _layout;
    private string? _pendingName;
    private long _lines;
    private long _skipped;
    private long _invalidRows;
    private readonly List<NcclTestsInvalidValue> _invalid = [];

    /// <summary>Invalid rows described in the report; the rest are only counted.</summary>
    public const int MaxInvalidValues = 100;

    /// <summary>Parses a whole output, reading it line by line.</summary>
    public static async Task<NcclTestsReport> ParseAsync(TextReader reader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var parser = new NcclTestsParser();
        using var lines = new BoundedLineReader(reader, new BoundedLineOptions { MaxLineLength = MaxLineChars, LeaveOpen = true });
        while (await lines.MoveNextAsync(cancellationToken))
        {
            if (lines.CurrentTruncated)
            {
                parser.SkipLine();
            }
            else
            {
                parser.AddLine(lines.Current.ToString());
            }
        }

        return parser.Complete();
    }

    /// <summary>Parses a file; throws <see cref="FileNotFoundException"/> / <see cref="IOException"/> like any file read.</summary>
    public static async Task<NcclTestsReport> ParseFileAsync(string path, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return await ParseAsync(reader, cancellationToken);
    }

    public static NcclTestsReport Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new NcclTestsParser();
        foreach (string line in text.Split('\n'))
        {
            parser.AddLine(line);
        }

        return parser.Complete();
    }

    /// <summary>Counts a line the caller could not read whole (over-long) as skipped.</summary>
    public void SkipLine()
    {
        _lines++;
        _skipped++;
    }

    public void AddLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _lines++;
        string text = NcclTestsLinePrefix.Strip(line.TrimEnd('\r'));
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return;
        }

        bool comment = trimmed[0] == '#';
        string body = comment ? trimmed[1..].Trim() : trimmed;
        if (comment && HandleComment(body))
        {
            return;
        }

        string[] tokens = body.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return;
        }

        if (NcclTestsLayout.IsHeader(tokens))
        {
            StartTable(NcclTestsLayout.FromHeader(tokens));
            return;
        }

        // Units line "(B) (elements) (us) …" and the "out-of-place … in-place" banner belong to the header.
        if (tokens[0] == "(B)" || (tokens[0] == "out-of-place" && tokens.Contains("in-place")))
        {
            return;
        }

        if (comment)
        {
            return; // device list, "# Using devices", "# nThread …": nccl-tests' own comments, not data
        }

        if (!TryAddRow(tokens))
        {
            _skipped++;
        }
    }

    public NcclTestsReport Complete()
    {
        Close();
        return new NcclTestsReport { Collectives = _done.ToArray(), Lines = _lines, SkippedLines = _skipped, InvalidValues = _invalid.ToArray(), InvalidRows = _invalidRows };
    }

    private bool HandleComment(string body)
    {
        if (TryValue(body, "Collective test starting:") is { } starting)
        {
            Close();
            _pendingName = starting.Length == 0 ? null : starting;
            _layout = null;
            return true;
        }

        if (TryValue(body, "Collective test concluded:") is not null)
        {
            Close();
            _layout = null;
            return true;
        }

        if (TryValue(body, "Avg bus bandwidth") is { } average)
        {
            double? value = NcclTestsNumber.Parse(FirstWord(average.TrimStart(':', ' ')));
            SetFooter(p => { p.Reported = value; return p; }, c => c with { ReportedAvgBusBandwidth = value });
            return true;
        }

        if (TryValue(body, "Out of bounds values") is { } outOfBounds)
        {
            int? value = int.TryParse(FirstWord(outOfBounds.TrimStart(':', ' ')), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;
            SetFooter(p => { p.OutOfBounds = value; return p; }, c => c with { OutOfBounds = value });
            return true;
        }

        return false;
    }

    /// <summary>A new column header: a table that already has rows ends here (the next binary's output, or a second process).</summary>
    private void StartTable(NcclTestsLayout? layout)
    {
        if (_current is { RowCount: > 0 })
        {
            Close();
        }

        _layout = layout;
    }

    private bool TryAddRow(string[] tokens)
    {
        if (!long.TryParse(tokens[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long size)
            || tokens.Length < 2 || !long.TryParse(tokens[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long count))
        {
            return false;
        }

        NcclTestsLayout? layout = _layout ?? (tokens.Length == 13 ? NcclTestsLayout.Current : tokens.Length == 12 ? NcclTestsLayout.Legacy : null);
        if (layout is null || tokens.Length < layout.Columns || (tokens.Length > layout.Columns && !layout.TrailingText))
        {
            return false;
        }

        // A negative or non-finite time or bandwidth, or a zero time, is a broken binary or a doctored file,
        // never a measurement: the row must not reach an average, a ranking or the tuner.
        if (InvalidCell(tokens, layout) is { } invalid)
        {
            _invalidRows++;
            if (_invalid.Count < MaxInvalidValues)
            {
                _invalid.Add(new NcclTestsInvalidValue(_lines, invalid.Column, invalid.Token));
            }

            return true;
        }

        NcclTestsMeasurement outOfPlace = Measure(tokens, layout.OutOfPlace);
        NcclTestsMeasurement inPlace = Measure(tokens, layout.InPlace);
        if (outOfPlace.TimeUs is null && inPlace.TimeUs is null)
        {
            return false;
        }

        int? root = layout.Root >= 0 && int.TryParse(tokens[layout.Root], NumberStyles.Integer, CultureInfo.InvariantCulture, out int r) ? r : null;
        var row = new NcclTestsRow(size, count, At(tokens, layout.Type), At(tokens, layout.Redop), root, outOfPlace, inPlace);
        Open(layout).Add(row);
        return true;
    }

    private static (string Column, string Token)? InvalidCell(string[] tokens, NcclTestsLayout layout)
    {
        foreach (NcclTestsLayout.Block block in new[] { layout.OutOfPlace, layout.InPlace })
        {
            foreach ((string column, int index, bool time) in new[] { ("time", block.Time, true), ("algbw", block.AlgBw, false), ("busbw", block.BusBw, false) })
            {
                if (index >= 0 && (IsCNonFinite(tokens[index]) || (double.TryParse(tokens[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                    && (!double.IsFinite(value) || value < 0 || (time && value == 0)))))
                {
                    return (column, tokens[index]);
                }
            }
        }

        return null;
    }

    /// <summary>C's printf spells non-finite values "inf", "-inf", "nan", "-nan", which .NET does not parse.</summary>
    private static bool IsCNonFinite(string token) =>
        token.TrimStart('-', '+').ToLowerInvariant() is "inf" or "infinity" or "nan";

    private static NcclTestsMeasurement Measure(string[] tokens, NcclTestsLayout.Block block) =>
        new(Number(tokens, block.Time), Number(tokens, block.AlgBw), Number(tokens, block.BusBw), Number(tokens, block.Wrong));

    private static double? Number(string[] tokens, int index) => index >= 0 ? NcclTestsNumber.Parse(tokens[index]) : null;

    private static string? At(string[] tokens, int index) => index >= 0 ? tokens[index] : null;

    private Pending Open(NcclTestsLayout layout)
    {
        if (_current is null)
        {
            _current = new Pending(_pendingName, layout.LegacyErrorColumn);
            _pendingName = null;
        }

        return _current;
    }

    /// <summary>
    /// A footer line belongs to the open table, else to the last finished one (a stray header may have
    /// closed it); without any table it is ignored.
    /// </summary>
    private void SetFooter(Func<Pending, Pending> open, Func<NcclTestsCollective, NcclTestsCollective> done)
    {
        if (_current is not null)
        {
            open(_current);
        }
        else if (_done.Count > 0)
        {
            _done[^1] = done(_done[^1]);
        }
    }

    private void Close()
    {
        if (_current is null)
        {
            return;
        }

        if (_current.RowCount > 0 && _done.Count < MaxCollectives)
        {
            _done.Add(_current.ToCollective());
        }

        _current = null;
    }

    private static string? TryValue(string body, string key) =>
        body.StartsWith(key, StringComparison.Ordinal) ? body[key.Length..].Trim() : null;

    private static string FirstWord(string text)
    {
        int space = text.IndexOfAny(Separators);
        return space < 0 ? text : text[..space];
    }

    /// <summary>A table being read: kept rows plus running sums for the average.</summary>
    private sealed class Pending(string? name, bool legacy)
    {
        private readonly List<NcclTestsRow> _rows = [];
        private double _busSum;
        private long _busCount;
        private long _dropped;

        public long RowCount => _rows.Count + _dropped;
        public double? Reported { get; set; }
        public int? OutOfBounds { get; set; }

        public void Add(NcclTestsRow row)
        {
            foreach (double? bus in new[] { row.OutOfPlace.BusBw, row.InPlace.BusBw })
            {
                if (bus is double value)
                {
                    _busSum += value;
                    _busCount++;
                }
            }

            if (_rows.Count < MaxRowsPerCollective)
            {
                _rows.Add(row);
            }
            else
            {
                _dropped++;
            }
        }

        public NcclTestsCollective ToCollective() => new()
        {
            Name = name,
            Rows = _rows.ToArray(),
            AvgBusBandwidth = _busCount == 0 ? null : Math.Round(_busSum / _busCount, 4),
            ReportedAvgBusBandwidth = Reported,
            OutOfBounds = OutOfBounds,
            LegacyErrorColumn = legacy,
            DroppedRows = _dropped,
        };
    }
}
