using System.Runtime.CompilerServices;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// Parses log lines with one format or, for <see cref="LogFormat.Auto"/>, with every parser, trying first the one that
/// matched last, then the others in a fixed order that ends with the generic key-value fallback. The fallback is never
/// preferred: once it had matched a stray line it would otherwise read every later line of a known format as generic
/// pairs. A line written with carriage returns (tqdm redrawing its bar) is split into its segments; ANSI colour escapes
/// are removed. Lines that no parser understands are counted, never fatal.
/// </summary>
public sealed class LineParser
{
    private readonly ILogParser[] _parsers;

    // _parsers[i] when it reads spans in place, else null (looked up once, not cast per line).
    private readonly ISpanLogParser?[] _spanParsers;
    private int _preferred;

    public LineParser(LogFormat format)
    {
        // Specific formats first, the generic JSON-lines and key-value readers last: LLaMA-Factory's log is JSON lines too.
        ILogParser[] all =
        [
            new MmEngineParser(), new MmcvParser(), new Detectron2Parser(), new HuggingFaceParser(), new MegatronParser(), new NanoGptParser(),
            new LlmcParser(), new DeepSpeedParser(), new FairseqParser(), new TorchtitanParser(), new LightningParser(), new LlamaFactoryParser(), new OlmoParser(),
            new JsonlParser(), new KeyValueParser(), new CheckpointLineParser(),
        ];
        _parsers = format == LogFormat.Auto ? all : [all.First(p => p.Format == format)];
        _spanParsers = [.. _parsers.Select(p => p as ISpanLogParser)];
    }

    public ParseStats Stats { get; } = new();

    /// <summary>Parses one line (without its terminator); returns the record it holds, if any.</summary>
    public MetricRecord? Parse(string text, long line)
    {
        text = LineText.StripAnsi(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            Stats.Count(LineKind.Unknown, null, blank: true);
            return null;
        }

        LineKind kind;
        MetricRecord? record;
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            (kind, record) = ParseSegments(text, line);
        }
        else
        {
            kind = ParseSegment(text, line, out record);
        }

        Stats.Count(kind, record, blank: false);
        return record;
    }

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>
    /// Parses one line held in a reused buffer. A line that the preferred parser reads in place costs no string; any other
    /// line is materialised and takes exactly the path of <see cref="Parse(string, long)"/>, so the result is the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MetricRecord? Parse(ReadOnlySpan<char> text, long line)
    {
        // ANSI escapes and carriage returns are rare: the string path strips and splits them.
        if (text.ContainsAny('\u001b', '\r'))
        {
            return Parse(text.ToString(), line);
        }

        if (text.IsWhiteSpace())
        {
            Stats.Count(LineKind.Unknown, null, blank: true);
            return null;
        }

        LineKind kind = ParseSegment(text, line, out MetricRecord? record);
        Stats.Count(kind, record, blank: false);
        return record;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LineKind ParseSegment(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        if (_spanParsers[_preferred] is not ISpanLogParser preferred)
        {
            return ParseSegment(text.ToString(), line, out record);
        }

        LineKind result = preferred.Parse(text, line, out record);
        return result == LineKind.Record ? result : ParseOthers(text.ToString(), line, result, out record);
    }

    private (LineKind Kind, MetricRecord? Record) ParseSegments(string text, long line)
    {
        LineKind best = LineKind.Unknown;
        MetricRecord? last = null;
        foreach (string segment in text.Split('\r', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            LineKind kind = ParseSegment(segment, line, out MetricRecord? record);
            if (record is not null)
            {
                last = record;
            }

            if (kind == LineKind.Progress)
            {
                best = LineKind.Progress;
            }
        }

        return (last is not null ? LineKind.Record : best, last);
    }

    private LineKind ParseSegment(string text, long line, out MetricRecord? record)
    {
        LineKind result = _parsers[_preferred].Parse(text, line, out record);
        return result == LineKind.Record ? result : ParseOthers(text, line, result, out record);
    }

    // The preferred parser did not find a record (it said `result`): every other parser gets its turn, in order.
    private LineKind ParseOthers(string text, long line, LineKind result, out MetricRecord? record)
    {
        for (int index = 0; index < _parsers.Length; index++)
        {
            if (index == _preferred)
            {
                continue;
            }

            LineKind kind = _parsers[index].Parse(text, line, out record);
            if (kind == LineKind.Record)
            {
                _preferred = _parsers[index].Format == LogFormat.KeyValue ? _preferred : index;
                return kind;
            }

            if (kind == LineKind.Progress)
            {
                result = kind;
            }
        }

        record = null;
        return result;
    }
}
