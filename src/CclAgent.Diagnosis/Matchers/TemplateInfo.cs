namespace CclAgent.Diagnosis.Matchers;

/// <summary>What is known about one line template (<see cref="KeywordGate"/>): which matchers may claim it, whether it
/// carries metric keywords, and, once the observer has read one such line, where its step and metrics are.</summary>
internal sealed class TemplateInfo(ulong matchers, bool series)
{
    public ulong Matchers { get; } = matchers;

    public bool Series { get; } = series;

    public SeriesPlan? Plan { get; set; }
}
