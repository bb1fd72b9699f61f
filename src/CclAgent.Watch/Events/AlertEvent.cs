using CclAgent.Watch.Records;

namespace CclAgent.Watch.Events;

/// <summary>A problem worth a person's attention (kinds in <see cref="Alerts.AlertKinds"/>).</summary>
public sealed record AlertEvent : WatchEvent
{
    public override string Type => "alert";

    public required string Kind { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required string Message { get; init; }

    /// <summary>The numbers behind the alert (value, baseline, threshold…), written as JSON fields.</summary>
    public IReadOnlyList<Metric> Details { get; init; } = [];
}
