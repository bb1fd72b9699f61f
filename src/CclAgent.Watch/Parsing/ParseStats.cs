namespace CclAgent.Watch.Parsing;

/// <summary>How many lines were read and what became of them.</summary>
public sealed class ParseStats
{
    private readonly long[] _recordsByFormat = new long[Enum.GetValues<LogFormat>().Length];

    public long Lines { get; private set; }

    public long Records { get; private set; }

    /// <summary>Progress-bar and validation-progress lines: recognised, skipped.</summary>
    public long Progress { get; private set; }

    /// <summary>Lines no parser understood (banners, warnings, stack traces…): skipped.</summary>
    public long Unknown { get; private set; }

    public long Blank { get; private set; }

    /// <summary>The format that produced the most records, or <see cref="LogFormat.Auto"/> before any.</summary>
    public LogFormat DetectedFormat
    {
        get
        {
            int best = 0;
            for (int i = 1; i < _recordsByFormat.Length; i++)
            {
                if (_recordsByFormat[i] > _recordsByFormat[best])
                {
                    best = i;
                }
            }

            return _recordsByFormat[best] == 0 ? LogFormat.Auto : (LogFormat)best;
        }
    }

    internal void Count(LineKind kind, LogFormat? format, bool blank)
    {
        Lines++;
        if (blank)
        {
            Blank++;
        }
        else if (kind == LineKind.Record)
        {
            Records++;
            _recordsByFormat[(int)format!.Value]++;
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
