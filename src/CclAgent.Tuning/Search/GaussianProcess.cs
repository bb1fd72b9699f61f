using MathNet.Numerics.LinearAlgebra;

namespace CclAgent.Tuning.Search;

/// <summary>
/// A small Gaussian process (RBF kernel, fixed length scale, per-point noise) for the surrogate's
/// residuals: where trials exist it corrects the microbenchmark model, and far from them its variance
/// returns to the prior — which is what makes expected improvement explore deliberately.
/// </summary>
internal sealed class GaussianProcess(double lengthScale, double minSignalVariance)
{
    private readonly List<double[]> _x = [];
    private readonly List<double> _y = [];
    private readonly List<double> _noise = [];
    private Vector<double>? _alpha;
    private Matrix<double>? _lowerInverse;
    private double _mean;
    private double _signal = double.NaN;

    public int Count => _x.Count;

    public void Add(double[] x, double y, double noiseVariance)
    {
        _x.Add(x);
        _y.Add(y);
        _noise.Add(Math.Max(noiseVariance, 1e-8));
        Fit();
    }

    /// <summary>Posterior mean and variance at x (the prior mean/variance with no data).</summary>
    public (double Mean, double Variance) Predict(double[] x)
    {
        if (_alpha is null || _lowerInverse is null)
        {
            return (0, minSignalVariance);
        }

        var k = Vector<double>.Build.Dense(_x.Count, i => Kernel(_x[i], x));
        double mean = _mean + k.DotProduct(_alpha);
        Vector<double> v = _lowerInverse * k;
        double variance = Math.Max(1e-10, _signal - v.DotProduct(v));
        return (mean, variance);
    }

    private void Fit()
    {
        int n = _x.Count;
        _mean = _y.Average();
        double spread = n > 1 ? _y.Sum(v => (v - _mean) * (v - _mean)) / (n - 1) : 0;
        _signal = Math.Max(minSignalVariance, spread);
        Matrix<double> kernel = Matrix<double>.Build.Dense(n, n, (i, j) => Kernel(_x[i], _x[j]) + (i == j ? _noise[i] : 0));
        var cholesky = kernel.Cholesky();
        var centred = Vector<double>.Build.Dense(n, i => _y[i] - _mean);
        _alpha = cholesky.Solve(centred);
        _lowerInverse = cholesky.Factor.Inverse();
    }

    private double Kernel(double[] a, double[] b)
    {
        double squared = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            squared += d * d;
        }

        return _signal * Math.Exp(-squared / (2 * lengthScale * lengthScale));
    }
}
