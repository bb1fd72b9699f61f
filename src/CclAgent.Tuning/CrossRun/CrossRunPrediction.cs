namespace CclAgent.Tuning.CrossRun;

/// <summary>ML.NET's output column.</summary>
public sealed class CrossRunPrediction
{
    public float Score { get; set; }
}
