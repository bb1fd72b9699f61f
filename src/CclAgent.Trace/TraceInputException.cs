namespace CclAgent.Trace;

/// <summary>An input that cannot be analysed; the message names the file, the JSON path and what was expected.</summary>
public sealed class TraceInputException : Exception
{
    public TraceInputException(string message) : base(message)
    {
    }

    public TraceInputException()
    {
    }

    public TraceInputException(string message, Exception inner) : base(message, inner)
    {
    }
}
