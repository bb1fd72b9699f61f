namespace CclAgent.Incident;

/// <summary>A scenario file that cannot be used: the message names the file, the JSON path and what was expected.</summary>
public sealed class IncidentInputException : Exception
{
    public IncidentInputException()
    {
    }

    public IncidentInputException(string message)
        : base(message)
    {
    }

    public IncidentInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
