namespace CclAgent.Diagnosis.Matchers;

/// <summary>The last N values of a metric, with a robust centre (median) and spread (median absolute deviation).</summary>
internal sealed class RollingWindow(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private readonly double[] _scratch = new double[capacity];
    private int _next;

    public int Count { get; private set; }

    public void Add(double value)
    {
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        Count = Math.Min(Count + 1, _values.Length);
    }

    /// <summary>The smallest value in the window: a value below k × this cannot be k × the median, so no sort is needed.</summary>
    public double Min()
    {
        double min = double.MaxValue;
        foreach (double value in _values.AsSpan(0, Count))
        {
            min = Math.Min(min, value);
        }

        return min;
    }

    public (double Median, double Mad) Stats()
    {
        Span<double> window = _scratch.AsSpan(0, Count);
        _values.AsSpan(0, Count).CopyTo(window);
        double median = Median(window);
        for (int i = 0; i < window.Length; i++)
        {
            window[i] = Math.Abs(window[i] - median);
        }

        return (median, Median(window));
    }

    private static double Median(Span<double> values)
    {
        values.Sort();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
