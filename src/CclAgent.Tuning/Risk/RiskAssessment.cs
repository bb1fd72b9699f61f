namespace CclAgent.Tuning.Risk;

/// <summary>A candidate's risk in [0, 1] and the reasons behind it; at or above the threshold it is never applied.</summary>
internal sealed record RiskAssessment(double Score, IReadOnlyList<string> Reasons, IReadOnlyList<string> Evidence)
{
    public const double Threshold = 0.5;

    public bool Blocked => Score >= Threshold;
}
