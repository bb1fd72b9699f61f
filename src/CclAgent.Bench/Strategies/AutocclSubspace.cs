using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Search;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// One AutoCCL subspace job (jobs/coordinate_descent_job.h): from the current optimum, along one
/// resource axis in one direction, probe up to TOPK = 3 unvisited points — the farthest within a
/// window of max(3, lr·count) nearest, so lr acts as a step length; move on improvement with
/// lr = (t_cur − t_new)/t_cur · 0.8, else flip direction, then change axis; converged after 2·|dims|
/// probes without improvement, then restart from a random unvisited point (TUNER_RETRY = 5).
/// </summary>
internal sealed class AutocclSubspace
{
    private const int TopK = 3;
    private const int MaxRestarts = 5;

    private readonly SearchSpace _space;
    private readonly int[] _fixed;
    private readonly int[] _resources;
    private readonly Random _random;
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private readonly Queue<int[]> _batch = new();
    private int[]? _current;
    private double _currentScore = double.PositiveInfinity;
    private int _axis;
    private int _direction = 1;
    private int _directionsTried;
    private double _lr = 1.0;
    private int _sinceImprovement;
    private int _restarts;
    private bool _batchImproved;
    private int[]? _restartPoint;

    public AutocclSubspace(SearchSpace space, int[] fixedPoint, int[] resources, Random random)
    {
        _space = space;
        _fixed = fixedPoint;
        _resources = resources;
        _random = random;
        Best = (int[])fixedPoint.Clone();
    }

    public bool Alive { get; set; } = true;
    public double BestScore { get; private set; } = double.PositiveInfinity;
    public int[] Best { get; private set; }

    public NcclConfig? RandomUnvisited()
    {
        for (int attempt = 0; attempt < 64; attempt++)
        {
            int[] point = (int[])_fixed.Clone();
            foreach (int r in _resources)
            {
                point[r] = _random.Next(_space.Dimensions[r].Values.Count);
            }

            if (!_visited.Contains(Key(point)))
            {
                return _space.At(point);
            }
        }

        return null;
    }

    public void ReportSample(NcclConfig config, double? score) => Record(_space.IndexesOf(config), score);

    public NcclConfig? NextProbe()
    {
        if (_current is null)
        {
            if (double.IsPositiveInfinity(BestScore))
            {
                return RandomUnvisited();
            }

            _current = (int[])Best.Clone();
            _currentScore = BestScore;
        }

        if (_restartPoint is not null)
        {
            return _space.At(_restartPoint);
        }

        for (int guard = 0; _batch.Count == 0 && guard < 2 * _resources.Length + 1; guard++)
        {
            if (_sinceImprovement >= 2 * _resources.Length)
            {
                return Restart();
            }

            FillBatch();
            if (_batch.Count == 0)
            {
                Turn();
            }
        }

        return _batch.Count > 0 ? _space.At(_batch.Peek()) : Restart();
    }

    public void ReportProbe(NcclConfig config, double? score)
    {
        int[] point = _space.IndexesOf(config);
        Record(point, score);
        if (_restartPoint is not null && Key(point) == Key(_restartPoint))
        {
            _restartPoint = null;
            _current = point;
            _currentScore = score ?? double.PositiveInfinity;
            _sinceImprovement = 0;
            return;
        }

        if (_batch.Count > 0 && Key(_batch.Peek()) == Key(point))
        {
            _batch.Dequeue();
        }

        if (score is double s && s < _currentScore)
        {
            _lr = Math.Max(0.05, (_currentScore - s) / _currentScore * 0.8);
            _current = point;
            _currentScore = s;
            _batchImproved = true;
            _sinceImprovement = 0;
        }
        else
        {
            _sinceImprovement++;
        }

        if (_batch.Count == 0)
        {
            if (_batchImproved)
            {
                _directionsTried = 0; // keep going the same way from the new point
            }
            else
            {
                Turn();
            }

            _batchImproved = false;
        }
    }

    private void FillBatch()
    {
        int dimension = _resources[_axis];
        int count = _space.Dimensions[dimension].Values.Count;
        var along = new List<int[]>();
        for (int index = _current![dimension] + _direction; index >= 0 && index < count; index += _direction)
        {
            int[] point = (int[])_current.Clone();
            point[dimension] = index;
            if (!_visited.Contains(Key(point)))
            {
                along.Add(point);
            }
        }

        int window = Math.Max(TopK, (int)Math.Ceiling(_lr * along.Count));
        foreach (int[] point in along.Take(window).TakeLast(TopK))
        {
            _batch.Enqueue(point);
        }
    }

    private void Turn()
    {
        _direction = -_direction;
        if (++_directionsTried >= 2)
        {
            _directionsTried = 0;
            _axis = (_axis + 1) % _resources.Length;
        }
    }

    private NcclConfig? Restart()
    {
        if (_restarts++ >= MaxRestarts)
        {
            Alive = false;
            return null;
        }

        NcclConfig? start = RandomUnvisited();
        if (start is null)
        {
            Alive = false;
            return null;
        }

        _batch.Clear();
        _restartPoint = _space.IndexesOf(start);
        _lr = 1.0;
        return start;
    }

    private void Record(int[] point, double? score)
    {
        _visited.Add(Key(point));
        if (score is double s && s < BestScore)
        {
            BestScore = s;
            Best = point;
        }
    }

    private static string Key(int[] point) => string.Join(',', point);
}
