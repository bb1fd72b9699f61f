using Microsoft.ML.Data;

namespace CclAgent.Tuning.CrossRun;

/// <summary>One training example: features and log(trial time / that run's baseline time).</summary>
internal sealed class CrossRunRow
{
    [VectorType(CrossRunFeatures.Count)]
    public float[] Features { get; set; } = new float[CrossRunFeatures.Count];

    public float Label { get; set; }
}
