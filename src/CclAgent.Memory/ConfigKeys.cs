namespace CclAgent.Memory;

/// <summary>Canonical text keys for NCCL configs, so equal configs compare equal in SQL.</summary>
public static class ConfigKeys
{
    /// <summary>"K1=V1;K2=V2" with keys sorted ordinal; the empty string for the default config.</summary>
    public static string Of(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return string.Join(';', Sorted(config).Select(pair => $"{pair.Key}={pair.Value}"));
    }

    /// <summary>The config ordered by key (ordinal), the order every stored form uses.</summary>
    public static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string key, string value) in config)
        {
            sorted[key] = value;
        }

        return sorted;
    }
}
