namespace CclAgent.Watch.Parsing;

/// <summary>How many lines were read and what became of them.</summary>
public sealed class ParseStats
{
    private readonly long[] _recordsByFormat = new long[Enum.GetValues<LogFormat>().Length];
    private readonly long[] _lossRecordsByFormat = new long[Enum.GetValues<LogFormat>().Length];

    public long Lines { get; private set; }

    public long Records { get; private set; }

    /// <summary>Progress-bar and validation-progress lines: recognised, skipped.</summary>
    public long Progress { get; private set; }

    /// <summary>Lines no parser understood (banners, warnings, stack traces…): skipped.</summary>
    public long Unknown { get; private set; }

    public long Blank { get; private set; }

    /// <summary>
    /// The format that produced the most records with a loss (else the most records), or <see cref="LogFormat.Auto"/>
    /// before any. Losses first: DeepSpeed prints its step and overflow lines into a Hugging Face Trainer's log, and
    /// those outnumber the Trainer's own lines without being the format the run is reported in.
    /// </summary>
    public LogFormat DetectedFormat => Most(_lossRecordsByFormat) ?? Most(_recordsByFormat) ?? LogFormat.Auto;

    private static LogFormat? Most(long[] counts)
    {
        int best = 0;
        for (int i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return counts[best] == 0 ? null : (LogFormat)best;
    }

    internal void Count(LineKind kind, Records.MetricRecord? record, bool blank)
    {
        if (record?.Loss is not null)
        {
            _lossRecordsByFormat[(int)record.Format]++;
        }

        Lines++;
        if (blank)
        {
            Blank++;
        }
        else if (kind == LineKind.Record)
        {
            Records++;
            _recordsByFormat[(int)record!.Format]++;
        }
        else if (kind == LineKind.Progress)
        {
            Progress++;
        }
        else
        {
            Unknown++;
        }
    }
}
