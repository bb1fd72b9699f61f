using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// A collective as a tuner plugin can tell it apart: the op, its message size and the communicator's
/// nNodes × nRanks (the inputs NCCL's example plugin matches its rows on). Collectives that share a key
/// get the same per-collective choice whatever their overlap, exactly as a real plugin would apply it.
/// </summary>
public readonly record struct TunerKey(CollectiveOp Op, long Bytes, int Nodes, int Ranks) : IComparable<TunerKey>
{
    /// <summary>Assignment names of per-collective choices start with this, so they never collide with an NCCL_* variable.</summary>
    public const string Prefix = "tuner:";

    public static TunerKey From(CollectiveCall call) => new(call.Op, call.Bytes, call.Nodes, call.Ranks);

    /// <summary>A call of this key (one group): what the cost model is asked about when the plugin resolves a row.</summary>
    public CollectiveCall Call => new(Op, Bytes, Nodes, Math.Max(1, Ranks / Math.Max(1, Nodes)));

    /// <summary>"tuner:allreduce:16777216:n2:r16": the name a per-collective choice has in a configuration's assignments.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{TunerConfNames.OpName(Op)}:{Bytes}:n{Nodes}:r{Ranks}");

    public static bool IsName(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool TryParse(string name, [NotNullWhen(true)] out TunerKey? key)
    {
        key = null;
        string[] parts = name.Split(':');
        if (parts.Length != 5 || parts[0] + ":" != Prefix || !TunerConfNames.TryParseOp(parts[1], out CollectiveOp op)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long bytes)
            || !TryParseTagged(parts[3], 'n', out int nodes) || !TryParseTagged(parts[4], 'r', out int ranks))
        {
            return false;
        }

        key = new TunerKey(op, bytes, nodes, ranks);
        return true;
    }

    public int CompareTo(TunerKey other)
    {
        int byOp = Op.CompareTo(other.Op);
        if (byOp != 0)
        {
            return byOp;
        }

        int byShape = (Nodes, Ranks).CompareTo((other.Nodes, other.Ranks));
        return byShape != 0 ? byShape : Bytes.CompareTo(other.Bytes);
    }

    public override string ToString() => Name;

    public static bool operator <(TunerKey left, TunerKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(TunerKey left, TunerKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(TunerKey left, TunerKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(TunerKey left, TunerKey right) => left.CompareTo(right) >= 0;

    private static bool TryParseTagged(string text, char tag, out int value)
    {
        value = 0;
        return text.Length > 1 && text[0] == tag && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
