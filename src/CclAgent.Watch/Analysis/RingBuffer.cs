namespace CclAgent.Watch.Analysis;

/// <summary>The last N values of a series: what keeps watch's memory independent of the log's length.</summary>
public sealed class RingBuffer<T>
{
    private readonly T[] _items;
    private int _next;

    public RingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    public bool IsFull => Count == _items.Length;

    /// <summary>Oldest first: index 0 is the oldest kept value.</summary>
    public T this[int index] => _items[(_next - Count + index + _items.Length) % _items.Length];

    public T Oldest => this[0];

    public T Newest => this[Count - 1];

    public void Add(T item)
    {
        _items[_next] = item;
        _next = (_next + 1) % _items.Length;
        Count = Math.Min(Count + 1, _items.Length);
    }

    public void Clear()
    {
        Count = 0;
        _next = 0;
    }

    /// <summary>Copies the values, oldest first, into <paramref name="destination"/>; returns how many.</summary>
    public int CopyTo(Span<T> destination)
    {
        for (int i = 0; i < Count; i++)
        {
            destination[i] = this[i];
        }

        return Count;
    }
}
