namespace CclAgent.Watch.Notify;

/// <summary>The endpoint answered with an error status.</summary>
public sealed class NotificationException : Exception
{
    public NotificationException()
    {
    }

    public NotificationException(string message)
        : base(message)
    {
    }

    public NotificationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True for statuses worth retrying (429, 5xx).</summary>
    public bool Retryable { get; init; }
}
