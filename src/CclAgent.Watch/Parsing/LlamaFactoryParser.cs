using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// hiyouga/LLaMA-Factory's <c>trainer_log.jsonl</c>: <c>{"current_steps": 3200, "total_steps": 3235, "loss": 4.4671, "eval_loss": null, …,
/// "learning_rate": 1.44e-08, "epoch": 0.99, "percentage": 98.92, "elapsed_time": "5:13:22", "remaining_time": "0:03:25"}</c>. The step, the
/// total, the time per step (elapsed ÷ steps since the run or its resume began) and the remaining time come from the line; the last line
/// (<c>current_steps == total_steps</c>, often with a null loss) ends the run.
/// </summary>
public sealed class LlamaFactoryParser : ILogParser
{
    private const string Marker = "\"current_steps\":";
    private long _originStep;
    private double _originElapsed;
    private double? _lastElapsed;

    public LogFormat Format => LogFormat.LlamaFactory;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text;
        if (!span.TrimStart().StartsWith('{') || !span.Contains(Marker, StringComparison.Ordinal)
            || !TryLong(span, Marker, out long step) || !TryLong(span, "\"total_steps\":", out long total))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder();
        DictScanner.Scan(span, builder);
        builder.Step = step;
        builder.MaxStep = total;
        if (TryDuration(span, "\"elapsed_time\":", out double elapsed))
        {
            builder.IterTime = SecondsPerStep(step, elapsed);
        }

        if (TryDuration(span, "\"remaining_time\":", out double remaining))
        {
            builder.Eta = remaining;
        }

        bool evaluation = builder.Loss is null && builder.HasEval;
        record = builder.Build(line, evaluation ? RecordKind.Eval : RecordKind.Train, Format);
        return LineKind.Record;
    }

    /// <summary>
    /// An average since the run (re)started: the log has no per-step time. A resumed run restarts its elapsed clock at
    /// the checkpoint's step, so the average is taken from the first line after the restart, not from step 0.
    /// </summary>
    private double? SecondsPerStep(long step, double elapsed)
    {
        // Two ranks writing the same file interleave lines a few seconds apart; only a clock that fell to under half
        // of what it read is a restart.
        if (_lastElapsed is double last && elapsed < last / 2)
        {
            (_originStep, _originElapsed) = (step, elapsed);
        }

        _lastElapsed = elapsed;
        return step > _originStep ? (elapsed - _originElapsed) / (step - _originStep) : null;
    }

    private static bool TryLong(ReadOnlySpan<char> text, string key, out long value)
    {
        value = 0;
        int at = text.IndexOf(key, StringComparison.Ordinal);
        int i = at + key.Length;
        return at >= 0 && LineText.TryReadLong(text, ref i, out value);
    }

    private static bool TryDuration(ReadOnlySpan<char> text, string key, out double seconds)
    {
        seconds = 0;
        int at = text.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[(at + key.Length)..].TrimStart();
        if (rest.Length < 2 || rest[0] != '"')
        {
            return false;
        }

        int close = rest[1..].IndexOf('"');
        return close > 0 && Numbers.TryParseDuration(rest.Slice(1, close), out seconds);
    }
}
