namespace CclAgent.Diagnosis;

/// <summary>An input the diagnosis cannot read: a missing file, a directory that is not a run directory.</summary>
public sealed class DiagnosisInputException : Exception
{
    public DiagnosisInputException()
    {
    }

    public DiagnosisInputException(string message)
        : base(message)
    {
    }

    public DiagnosisInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
