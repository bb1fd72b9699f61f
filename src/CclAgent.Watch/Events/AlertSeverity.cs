namespace CclAgent.Watch.Events;

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    Warning,
    Critical,
}
