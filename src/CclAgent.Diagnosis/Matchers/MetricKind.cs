namespace CclAgent.Diagnosis.Matchers;

/// <summary>What a metric value on a training line is: its key names a grad norm ("norm"), a loss ("loss"), or else the learning rate.</summary>
internal enum MetricKind : byte
{
    GradNorm,
    Loss,
    LearningRate,
}
