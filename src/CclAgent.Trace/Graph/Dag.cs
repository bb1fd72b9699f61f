namespace CclAgent.Trace.Graph;

/// <summary>A directed graph of named nodes with a weight each: topological order, cycles, reachability and the heaviest path.</summary>
internal sealed class Dag
{
    private readonly List<string> _nodes = [];
    private readonly Dictionary<string, List<string>> _successors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _predecessors = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Nodes => _nodes;

    public void AddNode(string id)
    {
        if (_successors.TryAdd(id, []))
        {
            _predecessors[id] = [];
            _nodes.Add(id);
        }
    }

    public void AddEdge(string from, string to)
    {
        AddNode(from);
        AddNode(to);
        _successors[from].Add(to);
        _predecessors[to].Add(from);
    }

    public IReadOnlyList<string> Predecessors(string id) => _predecessors[id];

    /// <summary>Kahn's order; the nodes left over (on or behind a cycle) are returned separately.</summary>
    public (List<string> Order, List<string> Cyclic) TopologicalOrder()
    {
        var indegree = _nodes.ToDictionary(n => n, n => _predecessors[n].Count, StringComparer.Ordinal);
        var ready = new Queue<string>(_nodes.Where(n => indegree[n] == 0));
        var order = new List<string>();
        while (ready.Count > 0)
        {
            string n = ready.Dequeue();
            order.Add(n);
            foreach (string s in _successors[n])
            {
                if (--indegree[s] == 0)
                {
                    ready.Enqueue(s);
                }
            }
        }

        return (order, _nodes.Where(n => indegree[n] > 0).ToList());
    }

    /// <summary>Whether <paramref name="to"/> is reachable from <paramref name="from"/>.</summary>
    public bool Reaches(string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([from]);
        while (stack.Count > 0)
        {
            string n = stack.Pop();
            if (n == to)
            {
                return true;
            }

            foreach (string s in _successors[n].Where(seen.Add))
            {
                stack.Push(s);
            }
        }

        return false;
    }

    /// <summary>The path whose weights sum highest (ties: the first in topological order), over the acyclic part.</summary>
    public (List<string> Path, double Length) HeaviestPath(IReadOnlyDictionary<string, double> weight, IReadOnlyList<string> order)
    {
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        var via = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string n in order)
        {
            string? from = null;
            double reach = 0;
            foreach (string p in _predecessors[n].Where(best.ContainsKey))
            {
                if (best[p] > reach)
                {
                    reach = best[p];
                    from = p;
                }
            }

            best[n] = reach + weight.GetValueOrDefault(n);
            via[n] = from;
        }

        if (best.Count == 0)
        {
            return ([], 0);
        }

        string end = order.Aggregate((a, b) => best[b] > best[a] ? b : a);
        var path = new List<string>();
        for (string? n = end; n is not null; n = via[n])
        {
            path.Add(n);
        }

        path.Reverse();
        return (path, best[end]);
    }
}
