using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// MMEngine's text log: <c>04/21 21:03:53 - mmengine - INFO - Epoch(train) [1][10/90]  lr: 1.000e-02  eta: 0:00:25  time: 0.010  …  loss: 11.4723</c>,
/// iteration-based <c>Iter(train) [i/max]</c>, padded indices, and the <c>Epoch(val)</c>/<c>Epoch(test)</c> result lines.
/// </summary>
public sealed class MmEngineParser : ILogParser, ISpanLogParser
{
    // Reused for every line (so an instance is not thread-safe, like the LineParser that owns it).
    private readonly RecordBuilder _builder = new();
    private readonly KeyValueSpan[] _pairs = new KeyValueSpan[OpenMmlabLine.MaxPairs];

    public LogFormat Format => LogFormat.MmEngine;

    public LineKind Parse(string text, long line, out MetricRecord? record) => Parse(text.AsSpan(), line, out record);

    LineKind ISpanLogParser.Parse(ReadOnlySpan<char> text, long line, out MetricRecord? record) => Parse(text, line, out record);

    private LineKind Parse(ReadOnlySpan<char> text, long line, out MetricRecord? record) => OpenMmlabLine.Parse(text, line, LogFormat.MmEngine, _builder, _pairs, out record);
}
