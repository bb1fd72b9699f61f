namespace CclAgent.Diagnosis.Matchers;

/// <summary>What is known about one line template (<see cref="KeywordGate"/>): which matchers may claim it, whether it
/// carries metric keywords, which matchers' digit keywords a line of it may contain (to be checked on the line), and,
/// once the observer has read one such line, where its step and metrics are.</summary>
internal sealed class TemplateInfo(ulong matchers, bool series, ulong digitCandidates)
{
    public ulong Matchers { get; } = matchers;

    public bool Series { get; } = series;

    public ulong DigitCandidates { get; } = digitCandidates;

    public SeriesPlan? Plan { get; set; }
}
