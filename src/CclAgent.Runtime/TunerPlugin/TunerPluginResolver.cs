namespace CclAgent.Runtime.TunerPlugin;

/// <summary>Which library NCCL_TUNER_PLUGIN names, read the way NCCL's plugin loader reads it.</summary>
public static class TunerPluginResolver
{
    public const string Variable = "NCCL_TUNER_PLUGIN";

    /// <summary>
    /// The libraries to try, in order; empty: no plugin. Unset means no plugin here, although NCCL itself would then
    /// try libnccl-tuner.so (and a tuner inside the net plugin): a simulated job must not pick up whatever the machine
    /// has installed. "none" disables the plugin. A value with a '/' or ending in ".so" is a path; any other value X is
    /// a name, tried as libnccl-tuner-X.so on the library search path (LD_LIBRARY_PATH included), then as X itself.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        if (value.Contains('/', StringComparison.Ordinal) || value.EndsWith(".so", StringComparison.Ordinal))
        {
            return [value];
        }

        return [$"libnccl-tuner-{value}.so", value];
    }
}
