namespace CclAgent.Watch.Parsing;

/// <summary>What a log field means once its spelling is normalised (see <see cref="FieldNames"/>).</summary>
internal enum Field
{
    Other,
    Loss,
    LearningRate,
    GradNorm,
    LossScale,
    IterTime,
    DataTime,
    Memory,
    Step,
    Epoch,
    Eta,
    Final,
}
