namespace CclAgent.Incident.Metrics;

/// <summary>One sample of a Prometheus exposition: name (with _bucket/_sum/_count suffix), labels, value, and the family's TYPE.</summary>
internal sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, string Type);
