namespace CclAgent.Watch.Notify;

/// <summary>Delivers one notification (one HTTP request); throws <see cref="NotificationException"/> or HttpRequestException on failure.</summary>
public interface INotificationChannel
{
    /// <summary>A name for messages, never containing a secret (e.g. "webhook 127.0.0.1:8080", "telegram").</summary>
    string Name { get; }

    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}
