using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// AutoCCL's NcclCombinedJob: subspaces visited round-robin, a pretrain share of the budget spent on
/// random samples, the rest on per-subspace coordinate descent; after pretrain + 10% of training a
/// subspace whose best is over 1.5× the global best is dropped ("too slow"), over 3× after a few more
/// steps ("extremely slow"). Budget split 60/40 as in AutoCCL's example run.sh (pretrain 360, train 240).
/// </summary>
internal sealed class AutocclSearch
{
    private readonly SearchSpace _space;
    private readonly Random _random;
    private readonly List<AutocclSubspace> _subspaces = [];
    private readonly int _pretrainBudget;
    private readonly int _trainBudget;
    private bool _warmedUp;
    private int _pretrainDone;
    private int _trainDone;
    private int _cursor;
    private AutocclSubspace? _pending;

    public AutocclSearch(SearchSpace space, NcclPlatform platform, IReadOnlyCollection<CollectiveOp> ops, int budget, Random random)
    {
        _space = space;
        _random = random;
        int[] resources = new[] { SearchSpace.Channels, ParameterSpace.NThreads, ParameterSpace.BuffSize }
            .Select(p => space.Dimensions.ToList().FindIndex(d => d.Parameter == p)).Where(i => i >= 0).ToArray();
        int algo = Index(ParameterSpace.Algo);
        int proto = Index(ParameterSpace.Proto);
        int p2p = Index(ParameterSpace.P2PLevel);
        foreach (int a in ValuesOf(algo).Where(v => v > 0))
        {
            foreach (int p in ValuesOf(proto).Where(v => v > 0))
            {
                foreach (int t in p2p < 0 ? [-1] : ValuesOf(p2p))
                {
                    int[] fixedPoint = new int[space.Dimensions.Count];
                    fixedPoint[algo] = a;
                    fixedPoint[proto] = p;
                    if (p2p >= 0)
                    {
                        fixedPoint[p2p] = t;
                    }

                    // AutoCCL runs inside NCCL, so it only lists what NCCL would accept on this platform.
                    if (ConfigValidator.IsRunnable(ConfigValidator.Validate(space.At(fixedPoint), platform, ops)))
                    {
                        _subspaces.Add(new AutocclSubspace(space, fixedPoint, resources, random));
                    }
                }
            }
        }

        int search = Math.Max(0, budget - 1);
        _pretrainBudget = (int)Math.Round(search * 0.6);
        _trainBudget = search - _pretrainBudget;
    }

    private double GlobalBest => _subspaces.Count == 0 ? double.PositiveInfinity : _subspaces.Min(s => s.BestScore);

    public NcclConfig Next()
    {
        _pending = null;
        if (!_warmedUp)
        {
            return NcclConfig.Default; // warm-up: the native NCCL choice
        }

        if (_pretrainDone < _pretrainBudget)
        {
            for (int tries = 0; tries < _subspaces.Count; tries++)
            {
                AutocclSubspace subspace = _subspaces[_cursor++ % _subspaces.Count];
                if (subspace.RandomUnvisited() is { } sample)
                {
                    _pending = subspace;
                    return sample;
                }
            }
        }

        if (_trainDone >= Math.Ceiling(0.1 * _trainBudget))
        {
            DropSlowSubspaces();
        }

        List<AutocclSubspace> alive = _subspaces.Where(s => s.Alive).ToList();
        for (int tries = 0; tries < alive.Count; tries++)
        {
            AutocclSubspace subspace = alive[_cursor++ % alive.Count];
            if (subspace.NextProbe() is { } probe)
            {
                _pending = subspace;
                return probe;
            }
        }

        // Every subspace converged: keep sampling the best one.
        AutocclSubspace best = _subspaces.MinBy(s => s.BestScore) ?? throw new InvalidOperationException("no subspace");
        _pending = best;
        return best.RandomUnvisited() ?? _space.At(best.Best);
    }

    public void Report(NcclConfig config, double? score)
    {
        if (!_warmedUp)
        {
            _warmedUp = true;
            return;
        }

        if (_pretrainDone < _pretrainBudget)
        {
            _pretrainDone++;
            _pending?.ReportSample(config, score);
            return;
        }

        _trainDone++;
        _pending?.ReportProbe(config, score);
    }

    private void DropSlowSubspaces()
    {
        double global = GlobalBest;
        foreach (AutocclSubspace subspace in _subspaces.Where(s => s.Alive))
        {
            bool tooSlow = subspace.BestScore > 1.5 * global;
            bool extremelySlow = _trainDone >= 5 && subspace.BestScore > 3 * global;
            if ((tooSlow || extremelySlow) && subspace.BestScore > global)
            {
                subspace.Alive = false;
            }
        }
    }

    private int Index(string parameter) => _space.Dimensions.ToList().FindIndex(d => d.Parameter == parameter);

    private IEnumerable<int> ValuesOf(int dimension) => Enumerable.Range(0, _space.Dimensions[dimension].Values.Count);
}
