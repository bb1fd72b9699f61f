namespace CclAgent.Tuning.CrossRun;

/// <summary>ML.NET's output column.</summary>
internal sealed class CrossRunPrediction
{
    public float Score { get; set; }
}
