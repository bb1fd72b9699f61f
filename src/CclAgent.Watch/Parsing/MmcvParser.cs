using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// The mmcv-era OpenMMLab log: <c>2020-05-08 18:56:16,649 - mmdet - INFO - Epoch [1][2400/7517]\tlr: 0.00125, eta: 4:33:09, time: 0.595, …, loss: 0.4890</c>
/// and <c>Epoch(val) [1][7517]\tbbox_mAP: …</c>.
/// </summary>
public sealed class MmcvParser : ILogParser, ISpanLogParser
{
    // Reused for every line (so an instance is not thread-safe, like the LineParser that owns it).
    private readonly RecordBuilder _builder = new();
    private readonly KeyValueSpan[] _pairs = new KeyValueSpan[OpenMmlabLine.MaxPairs];

    public LogFormat Format => LogFormat.Mmcv;

    public LineKind Parse(string text, long line, out MetricRecord? record) => Parse(text.AsSpan(), line, out record);

    LineKind ISpanLogParser.Parse(ReadOnlySpan<char> text, long line, out MetricRecord? record) => Parse(text, line, out record);

    private LineKind Parse(ReadOnlySpan<char> text, long line, out MetricRecord? record) => OpenMmlabLine.Parse(text, line, LogFormat.Mmcv, _builder, _pairs, out record);
}
