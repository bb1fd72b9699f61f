namespace CclAgent.Watch.Notify;

/// <summary>A message to deliver: the human text and the event as JSON.</summary>
public sealed record Notification(string Text, string EventJson);
