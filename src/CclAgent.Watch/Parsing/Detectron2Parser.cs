using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// detectron2, from the console or its log.txt (<c>[08/14 10:48:18] d2.utils.events INFO:  eta: …</c>): <c>[08/14 10:48:18 d2.utils.events]:  eta: 0:22:36  iter: 9079  total_loss: 0.4138  loss_cls: 0.07042  …  time: 0.4564  data_time: 0.0458  lr: 0.0003  max_mem: 1962M</c>,
/// and the evaluation results printed as three <c>copypaste:</c> lines (task, column names, values).
/// </summary>
public sealed class Detectron2Parser : ILogParser
{
    private const string CopyPaste = "copypaste: ";
    private string _task = "eval";
    private string[]? _columns;

    public LogFormat Format => LogFormat.Detectron2;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        int d2 = text.IndexOf(" d2.", StringComparison.Ordinal);
        if (d2 < 0)
        {
            return LineKind.Unknown;
        }

        int body = MessageStart(text, d2 + 1);
        if (body < 0)
        {
            return LineKind.Unknown;
        }

        int copy = text.IndexOf(CopyPaste, body, StringComparison.Ordinal);
        return copy >= 0 ? ParseCopyPaste(text[(copy + CopyPaste.Length)..].Trim(), line, out record) : ParseEvents(text, body, line, out record);
    }

    /// <summary>
    /// Where the message starts after the logger name: the console logger prints <c>[08/14 10:48:18 d2.utils.events]: msg</c>,
    /// the file logger (log.txt) <c>[08/14 10:48:18] d2.utils.events INFO: msg</c>.
    /// </summary>
    private static int MessageStart(string text, int name)
    {
        int end = text.AsSpan(name).IndexOfAny(']', ' ');
        if (end < 0)
        {
            return -1;
        }

        end += name;
        if (text[end] == ']')
        {
            return end + 1 < text.Length && text[end + 1] == ':' ? end + 2 : -1;
        }

        int level = end + 1;
        while (level < text.Length && char.IsAsciiLetterUpper(text[level]))
        {
            level++;
        }

        return level > end + 1 && level < text.Length && text[level] == ':' ? level + 1 : -1;
    }

    private static LineKind ParseEvents(string text, int start, long line, out MetricRecord? record)
    {
        record = null;
        var builder = new RecordBuilder();
        Span<KeyValueSpan> pairs = stackalloc KeyValueSpan[64];
        int count = KeyValueScanner.Scan(text, start, pairs);
        ReadOnlySpan<char> span = text;
        foreach (KeyValueSpan pair in pairs[..count])
        {
            builder.Add(span.Slice(pair.KeyStart, pair.KeyLength), span.Slice(pair.ValueStart, pair.ValueLength));
        }

        if (!builder.HasTrain || builder.Step is null)
        {
            return LineKind.Unknown;
        }

        record = builder.Build(line, RecordKind.Train, LogFormat.Detectron2);
        return LineKind.Record;
    }

    private LineKind ParseCopyPaste(string content, long line, out MetricRecord? record)
    {
        record = null;
        if (content.StartsWith("Task:", StringComparison.Ordinal))
        {
            _task = content[5..].Trim();
            _columns = null;
            return LineKind.Progress;
        }

        string[] cells = content.Split(',', StringSplitOptions.TrimEntries);
        if (_columns is null || !Numbers.TryParse(cells[0], out _))
        {
            _columns = cells;
            return LineKind.Progress;
        }

        var builder = new RecordBuilder { EvalContext = true };
        for (int i = 0; i < Math.Min(cells.Length, _columns.Length); i++)
        {
            if (Numbers.TryParse(cells[i], out double value))
            {
                builder.Add($"{_task}/{_columns[i]}", value);
            }
        }

        _columns = null;
        if (!builder.HasEval)
        {
            return LineKind.Progress;
        }

        record = builder.Build(line, RecordKind.Eval, LogFormat.Detectron2);
        return LineKind.Record;
    }
}
