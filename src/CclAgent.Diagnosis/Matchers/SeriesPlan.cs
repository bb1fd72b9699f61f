namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Where the step and the metric values of a line are, as ranges of the text the step and metric regexes ran on (a
/// template, or the line itself), and what each value is. The regexes treat every run of digits alike (only greedy
/// <c>\d+</c>/<c>\d*</c>, and <c>\w</c> around them), so their matches on a template are their matches on any line
/// of it, with each <c>0</c> standing for its run.
/// </summary>
internal sealed class SeriesPlan(int stepStart, int stepEnd, int[] valueStarts, int[] valueEnds, MetricKind[] kinds)
{
    /// <summary>The step's digits, or -1 when the line names no step.</summary>
    public int StepStart { get; } = stepStart;

    public int StepEnd { get; } = stepEnd;

    public int[] ValueStarts { get; } = valueStarts;

    public int[] ValueEnds { get; } = valueEnds;

    public MetricKind[] Kinds { get; } = kinds;
}
