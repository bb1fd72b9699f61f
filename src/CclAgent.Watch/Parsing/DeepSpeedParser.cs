using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// DeepSpeed's engine and DeepSpeed-Chat's training scripts:
/// <list type="bullet">
/// <item><c>[deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768</c> (also the older
/// <c>[deepscale]</c> and the newer <c>Overflow detected. Skipping step. …</c> spellings): the fp16 loss scale after the
/// overflow, so that a scale halving down to nothing raises <c>loss_scale_collapse</c>;</item>
/// <item><c>[Rank 0] step=10, skipped=6, lr=[9.65e-06, 9.65e-06], mom=[…]</c>: step and learning rate;</item>
/// <item><c>epoch=0/micro_step=10/global_step=10, RunningAvgSamplesPerSec=…, MemAllocated=3.96GB, MaxMemAllocated=22.95GB</c>: peak memory;</item>
/// <item>DeepSpeed-Chat's <c>ppl: 1.97</c> evaluations, <c>Epoch 1/1 with loss 0.66</c> and the reward model's
/// <c>… acc (higher is better) : 0.64</c>.</item>
/// </list>
/// </summary>
public sealed class DeepSpeedParser : ILogParser
{
    private const string AttemptedScale = "Attempted loss scale: ";
    private const string MaxMemory = "MaxMemAllocated=";
    private const string Accuracy = "acc (higher is better) : ";

    private long? _step;

    public LogFormat Format => LogFormat.DeepSpeed;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text;
        int attempted = span.IndexOf(AttemptedScale, StringComparison.Ordinal);
        if (attempted >= 0)
        {
            return ParseOverflow(span[(attempted + AttemptedScale.Length)..], line, out record);
        }

        int rank = span.IndexOf("] step=", StringComparison.Ordinal);
        if (rank >= 0)
        {
            return ParseStep(span[(rank + 2)..], line, out record);
        }

        int memory = span.IndexOf(MaxMemory, StringComparison.Ordinal);
        if (memory >= 0)
        {
            return ParseTimer(span, memory + MaxMemory.Length, line, out record);
        }

        return ParseChat(span.Trim(), line, out record);
    }

    private LineKind ParseOverflow(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        record = null;
        int i = 0;
        if (!LineText.TryReadLong(text, ref i, out long attempted))
        {
            return LineKind.Unknown;
        }

        // "…, reducing to 32768" gives the new scale; "…, but hysteresis is 2. Reducing hysteresis to 1" keeps it.
        double scale = attempted;
        int reducing = text.IndexOf("reducing to ", StringComparison.Ordinal);
        if (reducing >= 0)
        {
            ReadOnlySpan<char> value = text[(reducing + 12)..].Trim();
            int end = value.IndexOfAny(' ', ',');
            if (!Numbers.TryParse(end < 0 ? value : value[..end], out scale))
            {
                return LineKind.Unknown;
            }
        }

        record = new RecordBuilder { Step = _step, LossScale = scale }.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private LineKind ParseStep(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        record = null;
        int i = 5;
        if (!LineText.TryReadLong(text, ref i, out long step))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = step };
        int lr = text.IndexOf("lr=[", StringComparison.Ordinal);
        if (lr >= 0)
        {
            // One learning rate per parameter group: the first is the one schedules are written for.
            ReadOnlySpan<char> list = text[(lr + 4)..];
            int end = list.IndexOfAny(',', ']');
            if (end > 0 && Numbers.TryParse(list[..end].Trim(), out double rate))
            {
                builder.LearningRate = rate;
            }
        }

        _step = step;
        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private LineKind ParseTimer(ReadOnlySpan<char> text, int memoryAt, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> value = text[memoryAt..];
        int end = value.IndexOfAny(',', ' ');

        // "22.95GB": the megabyte reader takes one-letter units ("1962M", "12.5G").
        if (!Numbers.TryParseMegabytes((end < 0 ? value : value[..end]).TrimEnd('B'), out double megabytes))
        {
            return LineKind.Unknown;
        }

        long? step = _step;
        int global = text.IndexOf("global_step=", StringComparison.Ordinal);
        int i = global + 12;
        if (global >= 0 && LineText.TryReadLong(text, ref i, out long s))
        {
            step = s;
        }

        record = new RecordBuilder { Step = step, MemoryMb = megabytes }.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private LineKind ParseChat(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        record = null;
        if (text.StartsWith("ppl: ", StringComparison.Ordinal) && Numbers.TryParse(text[5..].Trim(), out double ppl))
        {
            var eval = new RecordBuilder { Step = _step };
            eval.AddEval("ppl", ppl);
            record = eval.Build(line, RecordKind.Eval, Format);
            return LineKind.Record;
        }

        int accuracy = text.IndexOf(Accuracy, StringComparison.Ordinal);
        if (accuracy >= 0 && Numbers.TryParse(text[(accuracy + Accuracy.Length)..].Trim(), out double acc))
        {
            var eval = new RecordBuilder { Step = _step };
            eval.AddEval("acc", acc);
            record = eval.Build(line, RecordKind.Eval, Format);
            return LineKind.Record;
        }

        if (text.StartsWith("***** Evaluating ", StringComparison.Ordinal) || text.StartsWith("Beginning of Epoch ", StringComparison.Ordinal))
        {
            return LineKind.Progress;
        }

        return text.StartsWith("Epoch ", StringComparison.Ordinal) ? ParseEpochLoss(text, line, out record) : LineKind.Unknown;
    }

    private LineKind ParseEpochLoss(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        // "Epoch 1/1 with loss 0.6616564282085736": the epoch's mean training loss.
        record = null;
        int i = 6;
        if (!LineText.TryReadLong(text, ref i, out long epoch) || !LineText.TryExpect(text, ref i, "/") || !LineText.TryReadLong(text, ref i, out _)
            || !LineText.TryExpect(text, ref i, " with loss ") || !Numbers.TryParse(text[i..].Trim(), out double loss))
        {
            return LineKind.Unknown;
        }

        record = new RecordBuilder { Step = _step, Epoch = epoch, Loss = loss }.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }
}
