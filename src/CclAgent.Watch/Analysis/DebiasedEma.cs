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
