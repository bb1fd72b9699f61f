namespace CclAgent.Diagnosis.Recommendations;

/// <summary>Recommendation priorities, most urgent first.</summary>
public static class Priority
{
    public const string Critical = "CRITICAL";
    public const string High = "HIGH";
    public const string Medium = "MEDIUM";
    public const string Low = "LOW";

    public static int Rank(string priority) => priority switch
    {
        Critical => 0,
        High => 1,
        Medium => 2,
        _ => 3,
    };
}
