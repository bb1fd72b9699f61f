using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// TensorBoard's smoother with its debias term (tensorflow/tensorboard#639): without it an EMA started at zero is
/// biased toward its first values. Non-finite inputs are ignored, so one NaN does not poison the trend.
/// </summary>
public sealed class DebiasedEma(double weight)
{
    private double _biased;
    private double _debiasWeight = 1;

    public long Count { get; private set; }

    public double? Value => Count == 0 ? null : _biased / (1 - _debiasWeight);

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        _biased = (weight * _biased) + ((1 - weight) * value);
        _debiasWeight *= weight;
        Count++;
    }
}
