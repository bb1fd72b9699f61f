using CclAgent.Watch.Events;

namespace CclAgent.Watch;

/// <summary>How a session ended.</summary>
public sealed record WatchOutcome(SummaryEvent Summary, bool Cancelled);
