namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// A tuner plugin that cannot be used at all: the library does not load, exports none of the tuner symbols, or its
/// init fails. The message is one line naming the path and what was expected. Problems during a call never throw.
/// </summary>
public sealed class TunerPluginLoadException : Exception
{
    public TunerPluginLoadException()
    {
    }

    public TunerPluginLoadException(string message)
        : base(message)
    {
    }

    public TunerPluginLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
