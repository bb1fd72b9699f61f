namespace CclAgent.Incident.Live;

/// <summary>Where `incident --live` reads this host from.</summary>
public sealed record LiveSources
{
    /// <summary>A Prometheus endpoint (e.g. vLLM's http://127.0.0.1:8000/metrics).</summary>
    public Uri? MetricsUrl { get; init; }

    /// <summary>A config file in config.json's shape ({config, runtime, version}).</summary>
    public string? ServiceConfig { get; init; }

    /// <summary>The service's log file, when it writes one.</summary>
    public string? ServiceLog { get; init; }
}
