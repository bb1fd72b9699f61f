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

    /// <summary>
    /// Adds a point and refits. A non-finite point is ignored, and a point that leaves the kernel matrix
    /// not positive definite even with jitter (near-duplicate inputs with wildly different outputs) is
    /// dropped again: the surrogate loses one observation, the run never crashes.
    /// </summary>
    public void Add(double[] x, double y, double noiseVariance)
    {
        if (!double.IsFinite(y) || x.Any(v => !double.IsFinite(v)))
        {
            return;
        }

        _x.Add(x);
        _y.Add(y);
        _noise.Add(double.IsFinite(noiseVariance) ? Math.Max(noiseVariance, 1e-8) : 1);
        if (!TryFit())
        {
            _x.RemoveAt(_x.Count - 1);
            _y.RemoveAt(_y.Count - 1);
            _noise.RemoveAt(_noise.Count - 1);
            if (_x.Count == 0 || !TryFit())
            {
                _alpha = null;
                _lowerInverse = null;
            }
        }
    }

    /// <summary>Posterior mean and variance at x (the prior mean/variance with no data).</summary>
    /// <summary>False until a fit succeeded: every prediction is then the prior, whatever the input.</summary>
    public bool Fitted => _alpha is not null && _lowerInverse is not null;

    public (double Mean, double Variance) Prior => (0, minSignalVariance);

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

    /// <summary>Fits the posterior; false when the kernel matrix is not positive definite even after adding jitter.</summary>
    private bool TryFit()
    {
        int n = _x.Count;
        double mean = _y.Average();
        double spread = n > 1 ? _y.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0;
        if (!double.IsFinite(spread))
        {
            return false;
        }

        _mean = mean;
        _signal = Math.Max(minSignalVariance, spread);
        for (double jitter = 0; jitter <= 1e-2; jitter = jitter == 0 ? 1e-10 : jitter * 100)
        {
            double added = jitter * _signal;
            Matrix<double> kernel = Matrix<double>.Build.Dense(n, n, (i, j) => Kernel(_x[i], _x[j]) + (i == j ? _noise[i] + added : 0));
            try
            {
                var cholesky = kernel.Cholesky();
                var centred = Vector<double>.Build.Dense(n, i => _y[i] - _mean);
                Vector<double> alpha = cholesky.Solve(centred);
                Matrix<double> lowerInverse = cholesky.Factor.Inverse();
                if (alpha.Any(v => !double.IsFinite(v)))
                {
                    continue;
                }

                _alpha = alpha;
                _lowerInverse = lowerInverse;
                return true;
            }
            catch (ArgumentException)
            {
                // MathNet: "Matrix must be positive definite"; try again with more jitter.
            }
        }

        return false;
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
