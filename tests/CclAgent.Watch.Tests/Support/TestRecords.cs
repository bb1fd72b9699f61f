using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Tests.Support;

/// <summary>Builds records the way the parsers do, for engine tests.</summary>
internal static class TestRecords
{
    public static MetricRecord Train(long line, double? loss, double? lr = 1e-3, long? step = null, long? maxStep = null, double? gradNorm = null,
        double? time = null, double? dataTime = null, double? memory = null, double? lossScale = null) => new()
    {
        Line = line,
        Kind = RecordKind.Train,
        Format = LogFormat.MmEngine,
        Step = step ?? line * 10,
        MaxStep = maxStep,
        Loss = loss,
        LearningRate = lr,
        GradNorm = gradNorm,
        IterTimeSeconds = time,
        DataTimeSeconds = dataTime,
        MemoryMb = memory,
        LossScale = lossScale,
    };

    public static MetricRecord Eval(long line, string name, double value, double? epoch = null) => new()
    {
        Line = line,
        Kind = RecordKind.Eval,
        Format = LogFormat.MmEngine,
        Epoch = epoch,
        Eval = [new Metric(name, value)],
    };
}
