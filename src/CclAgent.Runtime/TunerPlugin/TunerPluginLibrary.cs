using System.Runtime.InteropServices;

namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// A tuner plugin loaded the way NCCL loads one: dlopen, then the newest exported function table the library has
/// (ncclTunerPlugin_v5 … _v2, NCCL ≥ 2.28 picks v5). Each table is <c>{ const char* name; init; getCollInfo;
/// destroy-or-finalize; }</c>, four pointers in that order. Disposing finalizes every context still open, then
/// unloads the library, as NCCL does when its last communicator goes.
/// </summary>
public sealed unsafe class TunerPluginLibrary : IDisposable
{
    private static readonly int[] Versions = [5, 4, 3, 2];
    private readonly IntPtr _handle;
    private readonly IntPtr _init;
    private readonly IntPtr _getCollInfo;
    private readonly IntPtr _finalize;
    private readonly List<TunerPluginContext> _contexts = [];
    private bool _disposed;

    private TunerPluginLibrary(string path, IntPtr handle, int version, IntPtr table)
    {
        Path = path;
        _handle = handle;
        Version = version;
        IntPtr* fields = (IntPtr*)table;
        PluginName = fields[0] == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(fields[0]);
        (_init, _getCollInfo, _finalize) = (fields[1], fields[2], fields[3]);
    }

    /// <summary>What was loaded: the path as given, or the library name found on the search path.</summary>
    public string Path { get; }

    /// <summary>The ABI version bound (2 to 5).</summary>
    public int Version { get; }

    /// <summary>"ncclTunerPlugin_v5": the exported symbol bound.</summary>
    public string SymbolName => SymbolFor(Version);

    /// <summary>The plugin's own name field.</summary>
    public string? PluginName { get; }

    /// <summary>
    /// The plugin NCCL_TUNER_PLUGIN names (see <see cref="TunerPluginResolver"/>), or null for none. Plugin log lines go to
    /// <paramref name="log"/>, INFO lines only under <paramref name="ncclDebug"/> INFO.
    /// </summary>
    /// <exception cref="TunerPluginLoadException">Nothing named loads, or it exports no tuner table.</exception>
    public static TunerPluginLibrary? FromVariable(string? ncclTunerPlugin, TextWriter? log = null, string? ncclDebug = null)
    {
        IReadOnlyList<string> candidates = TunerPluginResolver.Candidates(ncclTunerPlugin);
        if (candidates.Count == 0)
        {
            return null;
        }

        var failures = new List<string>();
        foreach (string candidate in candidates)
        {
            if (TryOpen(candidate, out IntPtr handle, out string? failure))
            {
                return Bind(candidate, handle, log, ncclDebug);
            }

            failures.Add(failure!);
        }

        throw new TunerPluginLoadException(failures.Count == 1
            ? $"tuner plugin {failures[0]}"
            : $"{TunerPluginResolver.Variable}={ncclTunerPlugin}: no tuner plugin loads ({string.Join("; ", failures)})");
    }

    /// <summary>Loads the library at <paramref name="path"/> (or a name on the library search path).</summary>
    /// <exception cref="TunerPluginLoadException">It does not load, or it exports no tuner table.</exception>
    public static TunerPluginLibrary Load(string path, TextWriter? log = null, string? ncclDebug = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TryOpen(path, out IntPtr handle, out string? failure)
            ? Bind(path, handle, log, ncclDebug)
            : throw new TunerPluginLoadException($"tuner plugin {failure}");
    }

    /// <summary>A context for one communicator: the plugin's init now, its finalize (v5) or destroy when disposed.</summary>
    /// <exception cref="TunerPluginLoadException">init returned an error or no context.</exception>
    public TunerPluginContext CreateContext(TunerPluginCommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var context = TunerPluginContext.Init(this, communicator, _init, _getCollInfo, _finalize);
        _contexts.Add(context);
        return context;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (TunerPluginContext context in _contexts)
        {
            context.Dispose();
        }

        NativeLibrary.Free(_handle);
    }

    internal static string SymbolFor(int version) => $"ncclTunerPlugin_v{version}";

    private static bool TryOpen(string path, out IntPtr handle, out string? failure)
    {
        try
        {
            handle = NativeLibrary.Load(path);
            failure = null;
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            // .NET wraps dlerror's text in advice lines; the last line is dlerror's, the useful one.
            string reason = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? ex.GetType().Name;
            handle = IntPtr.Zero;
            failure = $"{path}: cannot be loaded: {reason}";
            return false;
        }
    }

    private static TunerPluginLibrary Bind(string path, IntPtr handle, TextWriter? log, string? ncclDebug)
    {
        foreach (int version in Versions)
        {
            if (NativeLibrary.TryGetExport(handle, SymbolFor(version), out IntPtr table) && table != IntPtr.Zero)
            {
                IntPtr* fields = (IntPtr*)table;
                if (fields[1] == IntPtr.Zero || fields[2] == IntPtr.Zero || fields[3] == IntPtr.Zero)
                {
                    NativeLibrary.Free(handle);
                    throw new TunerPluginLoadException($"tuner plugin {path}: {SymbolFor(version)} has a null init, getCollInfo or {(version >= 5 ? "finalize" : "destroy")}");
                }

                TunerPluginLog.Configure(log ?? Console.Error, ncclDebug);
                return new TunerPluginLibrary(path, handle, version, table);
            }
        }

        NativeLibrary.Free(handle);
        throw new TunerPluginLoadException($"tuner plugin {path}: exports none of {string.Join(", ", Versions.Select(SymbolFor))}");
    }
}
