namespace CclAgent.Trace.Kineto;

/// <summary>
/// One CPU thread's spans flattened into leaves: contiguous intervals each owned by the innermost span covering it
/// (an operator's own time around the runtime calls nested in it), in time order.
/// </summary>
internal sealed class CpuThread
{
    public CpuThread(IEnumerable<CpuEvent> events)
    {
        var stack = new Stack<CpuEvent>();
        double cursor = double.MinValue;
        foreach (CpuEvent e in events.OrderBy(e => e.Ts).ThenByDescending(e => e.Dur))
        {
            while (stack.Count > 0 && stack.Peek().End <= e.Ts)
            {
                Close(stack.Pop(), ref cursor);
            }

            if (stack.Count > 0)
            {
                Emit(stack.Peek(), Math.Max(cursor, stack.Peek().Ts), e.Ts);
            }

            cursor = e.Ts;
            stack.Push(e);
        }

        while (stack.Count > 0)
        {
            Close(stack.Pop(), ref cursor);
        }
    }

    /// <summary>One leaf interval and the innermost span that owns it.</summary>
    internal readonly record struct Leaf(double Start, double End, CpuEvent Event);

    public List<Leaf> Leaves { get; } = [];

    /// <summary>The index of the last leaf starting before <paramref name="t"/>, or -1.</summary>
    public int LastStartingBefore(double t)
    {
        int lo = 0, hi = Leaves.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Leaves[mid].Start < t)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private void Close(CpuEvent e, ref double cursor)
    {
        // A child that overruns its parent (clock rounding) is cut at the parent's end.
        double end = e.End;
        Emit(e, Math.Max(cursor, e.Ts), end);
        cursor = Math.Max(cursor, end);
    }

    private void Emit(CpuEvent owner, double start, double end)
    {
        if (end > start)
        {
            Leaves.Add(new Leaf(start, end, owner));
        }
    }
}
