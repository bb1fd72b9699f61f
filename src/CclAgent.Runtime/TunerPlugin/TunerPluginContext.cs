using System.Runtime.InteropServices;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// One tuner context: the plugin's state for one communicator, asked once per collective call exactly as NCCL's
/// enqueue path asks it. Not thread-safe: like NCCL, use one context from one thread at a time. A plugin problem
/// during a call never throws; the answer says what NCCL would run instead.
/// </summary>
public sealed unsafe class TunerPluginContext : IDisposable
{
    private const int NoValue = -1; // NCCL_ALGO_UNDEF / NCCL_PROTO_UNDEF: what v2's outputs hold before the call

    private readonly int _version;
    private readonly IntPtr _getCollInfo;
    private readonly IntPtr _finalize;
    private readonly void* _context;
    private readonly float* _table; // the copy the plugin may edit, in native memory so it never moves
    private readonly void* _nvlDomain;
    private readonly double* _constants;
    private bool _disposed;

    private TunerPluginContext(TunerPluginCommunicator communicator, int version, IntPtr getCollInfo, IntPtr finalize, void* context, void* nvlDomain, double* constants)
    {
        Communicator = communicator;
        _version = version;
        _getCollInfo = getCollInfo;
        _finalize = finalize;
        _context = context;
        _nvlDomain = nvlDomain;
        _constants = constants;
        _table = (float*)NativeMemory.Alloc(TunerCostTable.Length, sizeof(float));
    }

    public TunerPluginCommunicator Communicator { get; }

    /// <summary>
    /// What NCCL runs one call of <paramref name="op"/> over <paramref name="bytes"/> with. <paramref name="costTable"/> is
    /// NCCL's table for the call (<see cref="TunerCostTable"/>); the plugin gets a fresh copy each call because it edits
    /// it. v3+: the first minimum of the non-negative cells after the call; v2 (no table in its ABI): the algorithm and
    /// protocol it wrote, with nvlsSupport and collNetSupport read from the table. A non-zero nChannels is the plugin's
    /// channel cap. An error return, or a v2 plugin that sets nothing, leaves NCCL's own choice.
    /// </summary>
    public TunerPluginAnswer GetCollInfo(CollectiveOp op, long bytes, ReadOnlySpan<float> costTable, int numPipeOps = 1, bool regBuff = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        bool ncclHasOne = TunerCostTable.TryPick(costTable, out NcclAlgorithm ownAlgorithm, out NcclProtocol ownProtocol);
        costTable.CopyTo(new Span<float>(_table, TunerCostTable.Length));
        int channels = 0;
        int algorithm = NoValue;
        int protocol = NoValue;
        int result = _version == 2
            ? CallV2(op, bytes, costTable, numPipeOps, &algorithm, &protocol, &channels)
            : CallWithTable(op, bytes, numPipeOps, regBuff, &channels);
        var own = new TunerPluginAnswer(ownAlgorithm, ownProtocol, 0, ncclHasOne ? TunerPluginStatus.Failed : TunerPluginStatus.NoAlgorithm);
        if (result != 0)
        {
            return own;
        }

        int cap = channels > 0 ? channels : 0;
        if (_version == 2)
        {
            return algorithm is >= 0 and < TunerCostTable.Algorithms && protocol is >= 0 and < TunerCostTable.Protocols
                ? new TunerPluginAnswer((NcclAlgorithm)algorithm, (NcclProtocol)protocol, cap, TunerPluginStatus.Answered)
                : own with { Status = ncclHasOne ? TunerPluginStatus.Unset : TunerPluginStatus.NoAlgorithm };
        }

        return TunerCostTable.TryPick(new ReadOnlySpan<float>(_table, TunerCostTable.Length), out NcclAlgorithm picked, out NcclProtocol pickedProtocol)
            ? new TunerPluginAnswer(picked, pickedProtocol, cap, TunerPluginStatus.Answered)
            : own with { Status = TunerPluginStatus.NoAlgorithm };
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ = ((delegate* unmanaged[Cdecl]<void*, int>)_finalize)(_context);
        NativeMemory.Free(_table);
        NativeMemory.Free(_nvlDomain);
        NativeMemory.Free(_constants);
    }

    /// <summary>Runs the plugin's init for <paramref name="communicator"/> with the signature of its ABI version.</summary>
    internal static TunerPluginContext Init(TunerPluginLibrary library, TunerPluginCommunicator communicator, IntPtr init, IntPtr getCollInfo, IntPtr finalize)
    {
        void* context = null;
        void* nvlDomain = null;
        double* constants = null;
        int result;
        if (library.Version >= 5)
        {
            // NCCL keeps both structs alive with the communicator, and a plugin may keep the pointers: so does the context.
            int* domain = (int*)NativeMemory.AllocZeroed(3, sizeof(int));
            int perNode = communicator.Ranks / Math.Max(1, communicator.Nodes);
            (domain[0], domain[1], domain[2]) = (communicator.Nodes, perNode, perNode); // nNvlDomains, min and max ranks per domain
            constants = (double*)NativeMemory.AllocZeroed(NcclTunerConstants.Count, sizeof(double));
            if (communicator.Constants is { } values)
            {
                for (int i = 0; i < Math.Min(values.Count, NcclTunerConstants.Count); i++)
                {
                    constants[i] = values[i];
                }
            }

            nvlDomain = domain;
            result = ((delegate* unmanaged[Cdecl]<void**, ulong, nuint, nuint, IntPtr, void*, double*, int>)init)(
                &context, communicator.CommId, (nuint)communicator.Ranks, (nuint)communicator.Nodes, TunerPluginLog.Pointer, nvlDomain, constants);
        }
        else
        {
            result = ((delegate* unmanaged[Cdecl]<nuint, nuint, IntPtr, void**, int>)init)(
                (nuint)communicator.Ranks, (nuint)communicator.Nodes, TunerPluginLog.Pointer, &context);
        }

        if (result != 0)
        {
            NativeMemory.Free(nvlDomain);
            NativeMemory.Free(constants);
            throw new TunerPluginLoadException($"tuner plugin {library.Path}: {library.SymbolName}.init returned {result} for a communicator of {communicator.Ranks} ranks on {communicator.Nodes} nodes");
        }

        return new TunerPluginContext(communicator, library.Version, getCollInfo, finalize, context, nvlDomain, constants);
    }

    private int CallV2(CollectiveOp op, long bytes, ReadOnlySpan<float> costTable, int numPipeOps, int* algorithm, int* protocol, int* channels)
    {
        int collNet = Usable(costTable, NcclAlgorithm.CollnetDirect) || Usable(costTable, NcclAlgorithm.CollnetChain) ? 1 : 0;
        int nvls = Usable(costTable, NcclAlgorithm.Nvls) || Usable(costTable, NcclAlgorithm.NvlsTree) ? 1 : 0;
        return ((delegate* unmanaged[Cdecl]<void*, int, nuint, int, int, int, int*, int*, int*, int>)_getCollInfo)(
            _context, (int)op, (nuint)bytes, collNet, nvls, numPipeOps, algorithm, protocol, channels);
    }

    /// <summary>v3 and later: NCCL passes its contiguous float[7][3] cast to float**, so the plugin gets the table's address itself.</summary>
    private int CallWithTable(CollectiveOp op, long bytes, int numPipeOps, bool regBuff, int* channels)
    {
        float** table = (float**)_table;
        return _version == 3
            ? ((delegate* unmanaged[Cdecl]<void*, int, nuint, int, float**, int, int, int*, int>)_getCollInfo)(
                _context, (int)op, (nuint)bytes, numPipeOps, table, TunerCostTable.Algorithms, TunerCostTable.Protocols, channels)
            : ((delegate* unmanaged[Cdecl]<void*, int, nuint, int, float**, int, int, int, int*, int>)_getCollInfo)(
                _context, (int)op, (nuint)bytes, numPipeOps, table, TunerCostTable.Algorithms, TunerCostTable.Protocols, regBuff ? 1 : 0, channels);
    }

    private static bool Usable(ReadOnlySpan<float> table, NcclAlgorithm algorithm) =>
        TunerCostTable.IsUsable(table, algorithm, NcclProtocol.LL) || TunerCostTable.IsUsable(table, algorithm, NcclProtocol.LL128)
        || TunerCostTable.IsUsable(table, algorithm, NcclProtocol.Simple);
}
