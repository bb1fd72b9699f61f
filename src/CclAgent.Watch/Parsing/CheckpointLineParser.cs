using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// Any trainer's "saved a checkpoint" line that its format's parser did not already read: <c>Saving checkpoint to
/// ./output/model_0004999.pth</c> (fvcore), <c>Saving model checkpoint to out/checkpoint-500</c> (HF Trainer),
/// <c>… saving model to '/ckpt/epoch=3-step=400.ckpt' as top 1</c> (Lightning), <c>Best Module in [Epoch 12] saved!</c>.
/// The checkpoint is the path in the line when there is one, else the line itself; early-stop advice names the first
/// one saved after the best evaluation. Tried last, after the key-value reader.
/// </summary>
public sealed class CheckpointLineParser : ILogParser
{
    private const int MaxLength = 400;

    public LogFormat Format => LogFormat.KeyValue;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.Length > MaxLength || !Mentions(span))
        {
            return LineKind.Unknown;
        }

        ReadOnlySpan<char> path = PathIn(span);
        record = CheckpointRecord.Create(line, Format, null, path.IsEmpty ? Message(span) : path);
        return LineKind.Record;
    }

    private static bool Mentions(ReadOnlySpan<char> text)
    {
        bool saved = text.Contains("saving", StringComparison.OrdinalIgnoreCase) || text.Contains("saved", StringComparison.OrdinalIgnoreCase);
        // "Checkpoints will be saved to /tmp" announces, "not saved"/"skipping" declines: neither is a checkpoint.
        if (!saved || text.Contains("will ", StringComparison.OrdinalIgnoreCase) || text.Contains("not saved", StringComparison.OrdinalIgnoreCase)
            || text.Contains("skip", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return text.Contains("checkpoint", StringComparison.OrdinalIgnoreCase) || text.Contains("model", StringComparison.OrdinalIgnoreCase)
            || text.Contains("weights", StringComparison.OrdinalIgnoreCase) || text.Contains("module", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first token that looks like a file or directory of weights.</summary>
    private static ReadOnlySpan<char> PathIn(ReadOnlySpan<char> text)
    {
        foreach (Range range in text.Split(' '))
        {
            ReadOnlySpan<char> token = text[range].Trim("'\",;:!()[]`");
            bool file = token.EndsWith(".pth", StringComparison.Ordinal) || token.EndsWith(".pt", StringComparison.Ordinal)
                || token.EndsWith(".ckpt", StringComparison.Ordinal) || token.EndsWith(".bin", StringComparison.Ordinal)
                || token.EndsWith(".safetensors", StringComparison.Ordinal) || token.EndsWith(".h5", StringComparison.Ordinal);
            bool directory = token.Contains('/') && (token.Contains("checkpoint", StringComparison.OrdinalIgnoreCase) || token.Contains("ckpt", StringComparison.OrdinalIgnoreCase));
            if (token.Length > 2 && (file || directory))
            {
                return token;
            }
        }

        return default;
    }

    /// <summary>The line without its logger prefix ("[INFO] 2021-12-25 21:44:41,228 : "), quoted as the log says it.</summary>
    private static string Message(ReadOnlySpan<char> text)
    {
        int colon = text.LastIndexOf(" : ", StringComparison.Ordinal);
        int dash = text.LastIndexOf(" - ", StringComparison.Ordinal);
        int cut = Math.Max(colon, dash);
        ReadOnlySpan<char> message = cut >= 0 && cut + 3 < text.Length ? text[(cut + 3)..] : text;
        return FormattableString.Invariant($"the checkpoint the log reports as \"{message.ToString()}\"");
    }
}
